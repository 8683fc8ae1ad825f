import { Center, Stack, Text, Title } from '@mantine/core';
import { ButtonLink } from '../components/links.tsx';

export function NotFound() {
  return (
    <Center mih="60vh">
      <Stack align="center" gap="xs">
        <Text fz={56} fw={700} c="indigo.2" lh={1}>
          404
        </Text>
        <Title order={3}>Page not found</Title>
        <Text c="dimmed" size="sm">
          The page you are looking for does not exist or has moved.
        </Text>
        <ButtonLink to="/customers" mt="md" variant="light">
          Go to customers
        </ButtonLink>
      </Stack>
    </Center>
  );
}
