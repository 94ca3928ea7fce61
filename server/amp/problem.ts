// When a step of the flow cannot go on, the person gets a full AMP page that says why, with a way
// forward. The page layer renders it; flow modules only describe it.
import type { Response } from 'express';

export interface Problem {
  title: string;
  message: string;
  link: { href: string; text: string };
}

/** Renders a friendly AMP page explaining what went wrong (provided by the page layer). */
export type ShowProblem = (res: Response, status: number, problem: Problem) => void;
