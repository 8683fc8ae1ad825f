import { AppShell, Avatar, Box, Burger, Group, Menu, NavLink, SegmentedControl, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useState, type MouseEvent, type ReactNode } from 'react';
import { auth, type WorkspaceMode } from '../api.ts';
import { initials } from '../format.ts';
import { canManageTeam, sessionQuery, useSession, useWorkspace } from '../session.tsx';
import { ChangePasswordModal } from './ChangePasswordModal.tsx';
import {
  IconAlert,
  IconBox,
  IconCard,
  IconChecklist,
  IconChevronDown,
  IconClock,
  IconFlask,
  IconInvoice,
  IconKey,
  IconLink,
  IconList,
  IconLock,
  IconLogout,
  IconMail,
  IconPercent,
  IconRepeat,
  IconTeam,
  IconTicket,
  IconUsers,
} from './icons.tsx';
import { Logo } from './Logo.tsx';

type NavTarget =
  | '/customers'
  | '/tasks'
  | '/messages'
  | '/subscriptions'
  | '/invoices'
  | '/failed-payments'
  | '/products'
  | '/coupons'
  | '/tax-rates'
  | '/developers/api-keys'
  | '/developers/webhooks'
  | '/settings/gateways'
  | '/settings/dunning'
  | '/settings/team'
  | '/settings/audit-log';

function NavItem({ to, label, icon, onNavigate }: { to: NavTarget; label: string; icon: ReactNode; onNavigate(): void }) {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = pathname === to || pathname.startsWith(`${to}/`);
  const go = (event: MouseEvent<HTMLElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onNavigate();
    void navigate({ to });
  };
  return (
    <NavLink
      href={`/admin${to}`}
      label={label}
      leftSection={icon}
      active={active}
      onClick={go}
      variant="light"
      style={{ borderRadius: 8, fontWeight: 500 }}
      aria-current={active ? 'page' : undefined}
    />
  );
}

function SectionLabel({ children }: { children: ReactNode }) {
  return (
    <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" mt="lg" mb={6} style={{ letterSpacing: 0.6 }}>
      {children}
    </Text>
  );
}

function SandboxBanner() {
  return (
    <Box
      data-testid="sandbox-banner"
      bg="orange.6"
      c="white"
      h={30}
      px="md"
      style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 8, fontSize: 13, fontWeight: 500 }}
    >
      <IconFlask size={15} />
      <span>
        <strong>Sandbox</strong> — test data
        <Box component="span" visibleFrom="sm">
          . Nothing here charges or emails real customers.
        </Box>
      </span>
    </Box>
  );
}

const LIST_PAGES = ['/customers', '/messages', '/subscriptions', '/invoices', '/products', '/developers/webhooks'] as const;

function WorkspaceSwitch() {
  const { workspace, setMode } = useWorkspace();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const change = (value: string) => {
    setMode(value === 'live' ? 'live' : 'sandbox');
    // Objects belong to one workspace: leave a detail page rather than show "not found".
    const list = LIST_PAGES.find((to) => pathname.startsWith(`${to}/`));
    if (list) void navigate({ to: list });
  };
  return (
    <SegmentedControl
      aria-label="Workspace"
      data-testid="workspace-switch"
      size="xs"
      radius="xl"
      value={workspace.mode}
      onChange={change}
      color={workspace.mode === 'sandbox' ? 'orange' : 'teal'}
      data={[
        { value: 'sandbox' satisfies WorkspaceMode, label: 'Sandbox' },
        { value: 'live' satisfies WorkspaceMode, label: 'Live' },
      ]}
    />
  );
}

function UserMenu() {
  const { user, csrf_token } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [changingPassword, setChangingPassword] = useState(false);
  const signOut = async () => {
    try {
      await auth.logout(csrf_token);
    } finally {
      // Forget the session first, so the sign-in page does not bounce back into the app.
      queryClient.setQueryData(sessionQuery.queryKey, null);
      queryClient.removeQueries({ queryKey: ['v1'] });
      await navigate({ to: '/login' });
    }
  };
  return (
    <>
      <Menu position="bottom-end" width={240} shadow="md" radius="md">
        <Menu.Target>
          <UnstyledButton aria-label="Account menu" data-testid="user-menu" style={{ borderRadius: 8, padding: '4px 6px' }}>
            <Group gap={8} wrap="nowrap">
              <Avatar size={30} radius="xl" color="indigo" variant="light">
                {initials(user.name ?? user.email)}
              </Avatar>
              <Text size="sm" fw={500} visibleFrom="sm" maw={220} truncate>
                {user.email}
              </Text>
              <IconChevronDown size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Signed in as</Menu.Label>
          <Box px="sm" pb="xs">
            <Text size="sm" fw={500} truncate>
              {user.name ?? user.email}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {user.email} · {user.role}
            </Text>
          </Box>
          <Menu.Divider />
          <Menu.Item leftSection={<IconLock size={16} />} onClick={() => setChangingPassword(true)}>
            Change password
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void signOut()} color="red">
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={changingPassword} onClose={() => setChangingPassword(false)} />
    </>
  );
}

/** The signed-in app: header with workspace switch and account menu, left navigation, page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { workspace } = useWorkspace();
  const { user } = useSession();
  const sandbox = workspace.mode === 'sandbox';
  const headerHeight = sandbox ? 90 : 60;
  const team = canManageTeam(user.role);
  return (
    <AppShell
      header={{ height: headerHeight }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'xl' }}
      bg="gray.0"
    >
      <AppShell.Header>
        {sandbox ? <SandboxBanner /> : null}
        <Group h={60} px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Logo />
            <WorkspaceSwitch />
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <NavItem to="/customers" label="Customers" icon={<IconUsers />} onNavigate={close} />
        <NavItem to="/tasks" label="Tasks" icon={<IconChecklist />} onNavigate={close} />
        <NavItem to="/messages" label="Messages" icon={<IconMail />} onNavigate={close} />
        <SectionLabel>Billing</SectionLabel>
        <NavItem to="/subscriptions" label="Subscriptions" icon={<IconRepeat />} onNavigate={close} />
        <NavItem to="/invoices" label="Invoices" icon={<IconInvoice />} onNavigate={close} />
        <NavItem to="/failed-payments" label="Failed payments" icon={<IconAlert />} onNavigate={close} />
        <SectionLabel>Catalog</SectionLabel>
        <NavItem to="/products" label="Products" icon={<IconBox />} onNavigate={close} />
        <NavItem to="/coupons" label="Coupons" icon={<IconTicket />} onNavigate={close} />
        <NavItem to="/tax-rates" label="Tax rates" icon={<IconPercent />} onNavigate={close} />
        {team ? (
          <>
            <SectionLabel>Developers</SectionLabel>
            <NavItem to="/developers/api-keys" label="API keys" icon={<IconKey />} onNavigate={close} />
            <NavItem to="/developers/webhooks" label="Webhooks" icon={<IconLink />} onNavigate={close} />
            <SectionLabel>Settings</SectionLabel>
            <NavItem to="/settings/gateways" label="Payment gateways" icon={<IconCard />} onNavigate={close} />
            <NavItem to="/settings/dunning" label="Dunning" icon={<IconClock />} onNavigate={close} />
            <NavItem to="/settings/team" label="Team" icon={<IconTeam />} onNavigate={close} />
            <NavItem to="/settings/audit-log" label="Audit log" icon={<IconList />} onNavigate={close} />
          </>
        ) : null}
        <Box mt="auto" px="sm" pb="xs">
          <Text size="xs" c="dimmed">
            {workspace.name}
          </Text>
        </Box>
      </AppShell.Navbar>
      <AppShell.Main>
        <Box maw={1180} mx="auto">
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
