import { Notification, Portal, Stack, Transition } from '@mantine/core';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { IconCheck } from './icons.tsx';

/**
 * Short-lived confirmations ("Password changed") in the bottom-right corner. A small stand-in
 * for @mantine/notifications, built on @mantine/core's Notification.
 */
export interface NotifyOptions {
  title: string;
  message?: ReactNode;
  color?: 'teal' | 'red' | 'indigo';
  /** Milliseconds before it goes away on its own. */
  autoClose?: number;
}

interface Shown extends NotifyOptions {
  id: number;
}

type Notify = (options: NotifyOptions) => void;

const NotifyContext = createContext<Notify | null>(null);

const AUTO_CLOSE_MS = 5000;

function Toast({ item, onClose }: { item: Shown; onClose(id: number): void }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    setMounted(true);
    const timer = window.setTimeout(() => onClose(item.id), item.autoClose ?? AUTO_CLOSE_MS);
    return () => window.clearTimeout(timer);
  }, [item.id, item.autoClose, onClose]);
  const color = item.color ?? 'teal';
  return (
    <Transition mounted={mounted} transition="slide-left" duration={180}>
      {(style) => (
        <Notification
          style={style}
          role="status"
          data-testid="notification"
          color={color}
          icon={color === 'teal' ? <IconCheck size={16} /> : undefined}
          title={item.title}
          withBorder
          radius="md"
          onClose={() => onClose(item.id)}
          closeButtonProps={{ 'aria-label': 'Dismiss notification' }}
        >
          {item.message}
        </Notification>
      )}
    </Transition>
  );
}

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<Shown[]>([]);
  const nextId = useRef(1);
  const notify = useCallback<Notify>((options) => {
    const id = nextId.current++;
    setItems((current) => [...current.slice(-2), { ...options, id }]);
  }, []);
  const close = useCallback((id: number) => setItems((current) => current.filter((n) => n.id !== id)), []);
  const value = useMemo(() => notify, [notify]);
  return (
    <NotifyContext.Provider value={value}>
      {children}
      <Portal>
        <Stack gap="sm" w={360} maw="calc(100vw - 32px)" pos="fixed" bottom={16} right={16} style={{ zIndex: 1000 }} aria-live="polite">
          {items.map((item) => (
            <Toast key={item.id} item={item} onClose={close} />
          ))}
        </Stack>
      </Portal>
    </NotifyContext.Provider>
  );
}

/** Shows a notification; only inside NotificationsProvider. */
export function useNotify(): Notify {
  const notify = useContext(NotifyContext);
  if (!notify) throw new Error('useNotify() used outside NotificationsProvider');
  return notify;
}
