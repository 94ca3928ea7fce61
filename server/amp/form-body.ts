// amp-form posts multipart/form-data by default, or urlencoded when the form asks for it. Both are
// parsed with small limits; anything malformed or oversized becomes a 400 the form can show.
import express, { type RequestHandler } from 'express';
import multer from 'multer';

export interface FormLimits {
  maxFields: number;
  /** The largest value of one field, in bytes (UTF-8). */
  maxFieldBytes: number;
  maxBodyBytes: number;
}

/** Short forms: a SKU and a quantity, an id. */
export const SHORT_FORM_LIMITS: FormLimits = {
  maxFields: 8,
  maxFieldBytes: 256,
  maxBodyBytes: 2048,
};

/**
 * Forms people type into (checkout, contact): a few fields, one of them a message of up to 2,000
 * characters — 8 KB in UTF-8, and three times that once urlencoded.
 */
export const TEXT_FORM_LIMITS: FormLimits = {
  maxFields: 8,
  maxFieldBytes: 8 * 1024,
  maxBodyBytes: 32 * 1024,
};

const UNREADABLE = 'We could not read that form. Please try again.';

/** Reads the form into `req.body`; any error while reading it is the sender's, so a 400. */
export function formBodyParser(limits: FormLimits): RequestHandler {
  const { maxFields, maxFieldBytes, maxBodyBytes } = limits;
  const multipart = multer({
    limits: {
      fields: maxFields,
      fieldSize: maxFieldBytes,
      fieldNameSize: 64,
      files: 0,
      parts: maxFields,
    },
  }).none();
  const urlencoded = express.urlencoded({
    extended: false,
    limit: maxBodyBytes,
    parameterLimit: maxFields,
  });

  return (req, res, next) => {
    if (Number(req.get('content-length') ?? 0) > maxBodyBytes) {
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
}
