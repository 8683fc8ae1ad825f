import { Box, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Logo } from '../components/Logo.tsx';

/** The centred card of the signed-out pages (sign in, accept invitation). */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle: ReactNode; children: ReactNode }) {
  return (
    <Box
      mih="100vh"
      style={{
        background:
          'radial-gradient(1200px 600px at 10% -10%, var(--mantine-color-indigo-1), transparent 60%), radial-gradient(900px 500px at 110% 110%, var(--mantine-color-violet-0), transparent 60%), var(--mantine-color-gray-0)',
      }}
    >
      <Center mih="100vh" p="md">
        <Stack w="100%" maw={420} gap="lg">
          <Center>
            <Logo size={34} />
          </Center>
          <Paper withBorder shadow="sm" p={32} radius="lg">
            <Title order={3} fw={650}>
              {title}
            </Title>
            <Text c="dimmed" size="sm" mt={4} mb="lg">
              {subtitle}
            </Text>
            {children}
          </Paper>
          <Text size="xs" c="dimmed" ta="center">
            Recur · subscription billing you host yourself
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
