// amp-form posts multipart/form-data by default, or urlencoded when the form asks for it. Both are
// parsed with small limits; anything malformed or oversized becomes a 400 the form can show.
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import multer from 'multer';

const MAX_FIELDS = 8;
const MAX_BODY_BYTES = 2048;

const multipart = multer({
  limits: { fields: MAX_FIELDS, fieldSize: 256, fieldNameSize: 64, files: 0, parts: MAX_FIELDS },
}).none();

const urlencoded = express.urlencoded({
  extended: false,
  limit: MAX_BODY_BYTES,
  parameterLimit: MAX_FIELDS,
});

export const parseFormBody: RequestHandler[] = [
  (req, res, next) => {
    const length = Number(req.get('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) {
      res.status(400).json({ error: 'That form was too large for us to read.' });
      return;
    }
    next();
  },
  multipart,
  urlencoded,
];

/** Turns body-parser and multer errors into 400 JSON with a sentence a shopper can read. */
export const formBodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if (err instanceof multer.MulterError || isBodyParserError(err)) {
    res.status(400).json({ error: 'We could not read that form. Please try again.' });
    return;
  }
  if (err instanceof Error && /multipart|boundary|malformed/i.test(err.message)) {
    res.status(400).json({ error: 'We could not read that form. Please try again.' });
    return;
  }
  next(err);
};

function isBodyParserError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'type' in err && 'status' in err;
}
