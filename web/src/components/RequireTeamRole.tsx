import type { ReactNode } from 'react';
import { canManageTeam, useSession } from '../session.tsx';
import { IconShield } from './icons.tsx';
import { Empty } from './states.tsx';

/** Settings (team, gateways, dunning), keys and the audit log are for owners and admins; support users get an explanation. */
export function RequireTeamRole({ children }: { children: ReactNode }) {
  const { user } = useSession();
  if (canManageTeam(user.role)) return <>{children}</>;
  return (
    <Empty
      icon={<IconShield size={28} />}
      title="You do not have access to this page"
      description={`Your role (${user.role}) can view customers and billing but not settings, API keys or the audit log. Ask an owner or admin.`}
    />
  );
}
