import type { Expanders } from '../../../server/expand.ts';
import { retrieveCustomer } from '../../customers/service.ts';

/** `expand[]=customer` on tasks: the Tasks page shows whose task it is by name. */
export const taskExpanders: Expanders = {
  task: { customer: retrieveCustomer },
};
