import type { ReactNode } from 'react';
import { canManageTeam, useSession } from '../session.tsx';
import { IconShield } from './icons.tsx';
import { Empty } from './states.tsx';

/** Team, keys and the audit log are for owners and admins; support users get an explanation. */
export function RequireTeamRole({ children }: { children: ReactNode }) {
  const { user } = useSession();
  if (canManageTeam(user.role)) return <>{children}</>;
  return (
    <Empty
      icon={<IconShield size={28} />}
      title="You do not have access to this page"
      description={`Your role (${user.role}) can view customers but not team, API key or audit settings. Ask an owner or admin.`}
    />
  );
}
