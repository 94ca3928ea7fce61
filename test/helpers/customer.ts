// A shopper's checkout details, for tests of orders and checkout.
import type { CustomerDetails } from '../../server/orders/order';

export const CUSTOMER: CustomerDetails = {
  name: 'Ana Lima',
  email: 'ana.lima@example.com',
  street: '12 Rue des Trombones',
  city: 'Lyon',
  postcode: '69001',
  country: 'France',
};
