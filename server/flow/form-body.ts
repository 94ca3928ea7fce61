// amp-form posts multipart/form-data by default, or urlencoded when the form asks for it. Both are
// parsed with small limits; anything malformed or oversized becomes a 400 the form can show.
import express, { type RequestHandler } from 'express';
import multer from 'multer';

const MAX_FIELDS = 8;
const MAX_BODY_BYTES = 2048;
const UNREADABLE = 'We could not read that form. Please try again.';

const multipart = multer({
  limits: { fields: MAX_FIELDS, fieldSize: 256, fieldNameSize: 64, files: 0, parts: MAX_FIELDS },
}).none();

const urlencoded = express.urlencoded({
  extended: false,
  limit: MAX_BODY_BYTES,
  parameterLimit: MAX_FIELDS,
});

/** Reads the form into `req.body`; any error while reading it is the sender's, so a 400. */
export const parseFormBody: RequestHandler = (req, res, next) => {
  if (Number(req.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    res.status(400).json({ error: 'That form was too large for us to read.' });
    return;
  }
  multipart(req, res, (multipartError?: unknown) => {
    if (multipartError) {
      res.status(400).json({ error: UNREADABLE });
      return;
    }
    urlencoded(req, res, (urlencodedError?: unknown) => {
      if (urlencodedError) res.status(400).json({ error: UNREADABLE });
      else next();
    });
  });
};
