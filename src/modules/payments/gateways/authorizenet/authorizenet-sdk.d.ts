/**
 * Types for the part of the official `authorizenet` SDK (v1.0.10, plain JavaScript, no types
 * of its own) that the adapter uses, written from its source in node_modules/authorizenet/lib.
 *
 * Every contract class takes its fields as one object and its `getJSON()` emits them in the
 * XSD's element order (the JSON API validates against the XML schema, order included),
 * wrapped in the request's root name. Controllers POST that JSON with axios.
 */
declare module 'authorizenet' {
  export interface Contract {
    getJSON(): Record<string, unknown>;
  }
  export type ContractClass = new (fields: object) => Contract;

  /** lib/config.js: `logger.enabled` false (the default) keeps winston's file transport off. */
  export interface SdkConfig {
    timeout: number;
    clientId: string;
    logger: { enabled: boolean; location: string; level: string };
    proxy: { setProxy: boolean; proxyUrl: string };
  }

  export interface Controller {
    /** The full endpoint URL the request is POSTed to (lib/apicontrollersbase.js). */
    setEnvironment(url: string): void;
    /** Calls back on a response; on an HTTP or network error only sets `_error` (no callback). */
    execute(callback: () => void): void;
    getResponse(): unknown;
    getError(): unknown;
  }
  export type ControllerClass = new (request: Record<string, unknown>, config?: SdkConfig) => Controller;

  const sdk: {
    APIContracts: {
      CreateCustomerProfileRequest: ContractClass;
      CreateCustomerPaymentProfileRequest: ContractClass;
      GetCustomerPaymentProfileRequest: ContractClass;
      CreateTransactionRequest: ContractClass;
      GetTransactionDetailsRequest: ContractClass;
      GetTransactionListForCustomerRequest: ContractClass;
      GetUnsettledTransactionListRequest: ContractClass;
    };
    APIControllers: {
      CreateCustomerProfileController: ControllerClass;
      CreateCustomerPaymentProfileController: ControllerClass;
      GetCustomerPaymentProfileController: ControllerClass;
      CreateTransactionController: ControllerClass;
      GetTransactionDetailsController: ControllerClass;
      GetTransactionListForCustomerController: ControllerClass;
      GetUnsettledTransactionListController: ControllerClass;
    };
    Constants: { endpoint: { sandbox: string; production: string } };
  };
  export default sdk;
}

/** lib/config.js: the SDK's defaults, replaced process-wide by a config given to a controller. */
declare module 'authorizenet/lib/config.js' {
  import type { SdkConfig } from 'authorizenet';
  const module: { config: SdkConfig };
  export default module;
}

/** lib/logger.js: every contract and controller constructor calls `getLogger` (see sdk.ts). */
declare module 'authorizenet/lib/logger.js' {
  export interface SdkLogger {
    debug(message: unknown): void;
    info(message: unknown): void;
    warn(message: unknown): void;
    error(message: unknown): void;
  }
  const module: { getLogger: (category?: string, config?: unknown) => SdkLogger };
  export default module;
}
