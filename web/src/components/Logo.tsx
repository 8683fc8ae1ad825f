import { Group, Text } from '@mantine/core';

/** The Recur mark and word mark. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <Group gap={8} wrap="nowrap">
      <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="var(--mantine-color-indigo-6)" />
        <path
          d="M10 22V10h7a4 4 0 0 1 0 8h-7m7 0 5 4"
          fill="none"
          stroke="white"
          strokeWidth="3"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <Text fw={700} fz={size * 0.68} style={{ letterSpacing: -0.3 }}>
        Recur
      </Text>
    </Group>
  );
}
