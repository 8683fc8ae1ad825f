import sdk, { type SdkConfig } from 'authorizenet';
import sdkConfig from 'authorizenet/lib/config.js';
import sdkLogger from 'authorizenet/lib/logger.js';

/**
 * The official SDK, made safe for a long-running server:
 *
 * - Logging. Its winston logger writes no files by default (`config.logger.enabled` is false,
 *   and only then would it add a DailyRotateFile transport in `./`), but every contract and
 *   controller constructor calls `getLogger(category + random number)`, which registers a
 *   new logger in winston's global container and never removes it: ten loggers and ~125 kB
 *   per charge request built, kept for the life of the process (measured with v1.0.10). A
 *   billing run would run out of memory. So `getLogger` is replaced, once, by one silent
 *   logger (no console, no files, nothing kept), and every controller is also given a config
 *   with `logger.enabled: false`, so no file is written even if the replacement stopped
 *   applying in a later version.
 * - Errors. `execute(callback)` calls back only on an HTTP 2xx; on a network error or a 5xx
 *   it sets `controller._error` and never calls back. `call` watches that property, so a
 *   failure rejects at once instead of hanging.
 */
const silent = { debug() {}, info() {}, warn() {}, error() {} };
if (typeof sdkLogger.getLogger === 'function') sdkLogger.getLogger = () => silent;

/** Passed to every controller (the SDK then uses it process-wide: it is the same each time). */
const CONFIG: SdkConfig = {
  ...sdkConfig.config,
  timeout: 60_000,
  logger: { ...sdkConfig.config.logger, enabled: false },
  proxy: { setProxy: false, proxyUrl: '' },
};

const OPERATIONS = {
  createCustomerProfile: [sdk.APIContracts.CreateCustomerProfileRequest, sdk.APIControllers.CreateCustomerProfileController],
  createCustomerPaymentProfile: [sdk.APIContracts.CreateCustomerPaymentProfileRequest, sdk.APIControllers.CreateCustomerPaymentProfileController],
  getCustomerPaymentProfile: [sdk.APIContracts.GetCustomerPaymentProfileRequest, sdk.APIControllers.GetCustomerPaymentProfileController],
  createTransaction: [sdk.APIContracts.CreateTransactionRequest, sdk.APIControllers.CreateTransactionController],
  getTransactionDetails: [sdk.APIContracts.GetTransactionDetailsRequest, sdk.APIControllers.GetTransactionDetailsController],
  getTransactionListForCustomer: [sdk.APIContracts.GetTransactionListForCustomerRequest, sdk.APIControllers.GetTransactionListForCustomerController],
  getUnsettledTransactionList: [sdk.APIContracts.GetUnsettledTransactionListRequest, sdk.APIControllers.GetUnsettledTransactionListController],
} as const;

export type Operation = keyof typeof OPERATIONS;

const API_PATH = '/xml/v1/request.api';

/**
 * The URL requests go to. The SDK's own way to change host is `controller.setEnvironment(url)`
 * (its README: "call setEnvironment on the controller"), which takes the full endpoint URL;
 * `apiBase` may be given as a base (`http://127.0.0.1:4010`) or as that full URL.
 */
export function endpointFor(environment: 'sandbox' | 'production', apiBase: string | undefined): string {
  if (apiBase === undefined) return environment === 'production' ? sdk.Constants.endpoint.production : sdk.Constants.endpoint.sandbox;
  const base = apiBase.replace(/\/+$/, '');
  return base.endsWith(API_PATH) ? base : base + API_PATH;
}

export interface MerchantAuthentication {
  name: string;
  transactionKey: string;
}

/** Thrown when Authorize.net could not be reached or answered with a non-2xx status. */
export class AuthorizeNetUnavailableError extends Error {
  override readonly name = 'AuthorizeNetUnavailableError';
}

/**
 * One API call through the SDK: the request built by its contract class (so in the schema's
 * element order), POSTed by its controller. Resolves with the parsed JSON response (the SDK's
 * axios strips the UTF-8 BOM Authorize.net puts before it), whatever its resultCode.
 */
export function call(endpoint: string, auth: MerchantAuthentication, operation: Operation, fields: Record<string, unknown>): Promise<unknown> {
  const [Request, Controller] = OPERATIONS[operation];
  const request = new Request({ merchantAuthentication: auth, ...fields });
  const controller = new Controller(request.getJSON(), CONFIG);
  controller.setEnvironment(endpoint);
  return new Promise((resolve, reject) => {
    let error: unknown = null;
    Object.defineProperty(controller, '_error', {
      configurable: true,
      get: () => error,
      set: (value: unknown) => {
        error = value;
        if (value != null) reject(new AuthorizeNetUnavailableError(`Authorize.net ${operation} failed: ${describe(value)}`, { cause: value }));
      },
    });
    controller.execute(() => resolve(controller.getResponse()));
  });
}

function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const status = (error as { response?: { status?: unknown } }).response?.status;
  const message = error instanceof Error ? error.message : 'unknown error';
  return typeof status === 'number' ? `HTTP ${status} (${message})` : message;
}
