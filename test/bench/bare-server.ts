// The floor for bench:api: a bare Fastify route answering a customer-sized JSON body,
// with no auth, no database and no validation.
import Fastify from 'fastify';

const body = {
  id: 'cus_0VbfTEIH29VxiRreD7OzjZ60',
  object: 'customer',
  address: null,
  created: 1795317014,
  description: null,
  email: 'bench@example.com',
  invoice_settings: { custom_fields: null, footer: null },
  livemode: false,
  metadata: { plan: 'pro' },
  name: 'Bench Customer',
  phone: null,
  preferred_locales: [],
  shipping: null,
  tax_exempt: 'none',
};
const app = Fastify();
app.get('/bare', async () => body);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
