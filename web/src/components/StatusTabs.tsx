import { Tabs } from '@mantine/core';

/** The status filter above a list (all, then each status): one tab each, the chosen one marked. */
export function StatusTabs<T extends string>(props: {
  value: T;
  options: readonly T[];
  label: (option: T) => string;
  onChange: (option: T) => void;
  testId: string;
  mb?: string;
}) {
  const { value, options, label, onChange, testId, mb } = props;
  return (
    <Tabs
      value={value}
      onChange={(next) => {
        const chosen = options.find((o) => o === next);
        if (chosen !== undefined) onChange(chosen);
      }}
      mb={mb}
      data-testid={testId}
    >
      <Tabs.List>
        {options.map((option) => (
          <Tabs.Tab key={option} value={option}>
            {label(option)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
