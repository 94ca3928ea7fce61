// A contact message as the form sends it, for tests of the contact form and the message boxes.
export const MESSAGE = {
  name: 'Ana Lima',
  email: 'ana.lima@example.com',
  message: 'Do your Superclips hold 50 sheets?\nAsking for a friend.',
};
