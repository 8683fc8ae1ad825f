import type { ReactNode, SVGProps } from 'react';

/** Inline stroke icons (24×24 grid), so the dashboard loads nothing from outside. */
type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number };

function icon(paths: ReactNode, name: string) {
  function Icon({ size = 18, ...rest }: IconProps) {
    return (
      <svg
        xmlns="http://www.w3.org/2000/svg"
        width={size}
        height={size}
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        {...rest}
      >
        {paths}
      </svg>
    );
  }
  Icon.displayName = name;
  return Icon;
}

export const IconUsers = icon(
  <>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6" />
    <path d="M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.3c2.1.7 3.5 2.7 3.5 5.7" />
  </>,
  'IconUsers',
);

export const IconKey = icon(
  <>
    <circle cx="8" cy="15" r="4" />
    <path d="M10.8 12.2 20 3M16 7l3 3M14 9l2 2" />
  </>,
  'IconKey',
);

export const IconTeam = icon(
  <>
    <circle cx="12" cy="7" r="3" />
    <path d="M6 21v-1.5A4.5 4.5 0 0 1 10.5 15h3a4.5 4.5 0 0 1 4.5 4.5V21" />
    <circle cx="4.5" cy="10" r="2" />
    <circle cx="19.5" cy="10" r="2" />
  </>,
  'IconTeam',
);

export const IconList = icon(
  <>
    <path d="M9 6h11M9 12h11M9 18h11" />
    <path d="M4 6h.01M4 12h.01M4 18h.01" strokeWidth={2.6} />
  </>,
  'IconList',
);

export const IconSearch = icon(
  <>
    <circle cx="10.5" cy="10.5" r="6.5" />
    <path d="m20 20-4.6-4.6" />
  </>,
  'IconSearch',
);

export const IconPlus = icon(<path d="M12 5v14M5 12h14" />, 'IconPlus');

export const IconLogout = icon(
  <>
    <path d="M14 8V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2v-3" />
    <path d="M9 12h12m-3-3 3 3-3 3" />
  </>,
  'IconLogout',
);

export const IconChevronLeft = icon(<path d="m15 6-6 6 6 6" />, 'IconChevronLeft');
export const IconChevronRight = icon(<path d="m9 6 6 6-6 6" />, 'IconChevronRight');
export const IconChevronDown = icon(<path d="m6 9 6 6 6-6" />, 'IconChevronDown');

export const IconCopy = icon(
  <>
    <rect x="8" y="8" width="12" height="12" rx="2" />
    <path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2" />
  </>,
  'IconCopy',
);

export const IconCheck = icon(<path d="m5 12 5 5L20 7" />, 'IconCheck');

export const IconAlert = icon(
  <>
    <path d="M12 9v4M12 17h.01" />
    <path d="M10.3 3.9 2.4 17.5A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z" />
  </>,
  'IconAlert',
);

export const IconTrash = icon(
  <>
    <path d="M4 7h16M10 11v6M14 11v6" />
    <path d="M5 7l1 12a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
  </>,
  'IconTrash',
);

export const IconEdit = icon(
  <>
    <path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16v4Z" />
    <path d="m13.5 6.5 4 4" />
  </>,
  'IconEdit',
);

export const IconRefresh = icon(
  <>
    <path d="M20 11A8 8 0 0 0 5.3 6.8L4 8.5" />
    <path d="M4 4v4.5h4.5M4 13a8 8 0 0 0 14.7 4.2L20 15.5" />
    <path d="M20 20v-4.5h-4.5" />
  </>,
  'IconRefresh',
);

export const IconFlask = icon(
  <>
    <path d="M9 3h6M10 3v6L4.5 18.5A1.7 1.7 0 0 0 6 21h12a1.7 1.7 0 0 0 1.5-2.5L14 9V3" />
    <path d="M7 15h10" />
  </>,
  'IconFlask',
);

export const IconCode = icon(<path d="m8 7-5 5 5 5M16 7l5 5-5 5M14 4l-4 16" />, 'IconCode');

export const IconSettings = icon(
  <>
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z" />
  </>,
  'IconSettings',
);

export const IconDots = icon(
  <path d="M5 12h.01M12 12h.01M19 12h.01" strokeWidth={3} />,
  'IconDots',
);

export const IconMail = icon(
  <>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <path d="m3 7 9 6 9-6" />
  </>,
  'IconMail',
);

export const IconShield = icon(<path d="M12 3 4.5 6v6c0 4.4 3.2 7.9 7.5 9 4.3-1.1 7.5-4.6 7.5-9V6L12 3Z" />, 'IconShield');

export const IconArrowLeft = icon(<path d="M19 12H5m6-6-6 6 6 6" />, 'IconArrowLeft');

export const IconLock = icon(
  <>
    <rect x="4.5" y="10.5" width="15" height="10.5" rx="2" />
    <path d="M8 10.5V7a4 4 0 0 1 8 0v3.5M12 15v2" />
  </>,
  'IconLock',
);

export const IconLink = icon(
  <>
    <path d="M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1 1" />
    <path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1-1" />
  </>,
  'IconLink',
);

export const IconClock = icon(
  <>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5V12l3 2" />
  </>,
  'IconClock',
);

export const IconBox = icon(
  <>
    <path d="m12 3 8 4.5v9L12 21l-8-4.5v-9L12 3Z" />
    <path d="m4 7.5 8 4.5 8-4.5M12 12v9" />
  </>,
  'IconBox',
);

export const IconTicket = icon(
  <>
    <path d="M4 7a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-2a2 2 0 0 0 0-4V7Z" />
    <path d="M14 5v12" strokeDasharray="2 2" />
  </>,
  'IconTicket',
);

export const IconPercent = icon(
  <>
    <path d="M19 5 5 19" />
    <circle cx="7" cy="7" r="2.2" />
    <circle cx="17" cy="17" r="2.2" />
  </>,
  'IconPercent',
);

export const IconRepeat = icon(
  <>
    <path d="M4 11V9a3 3 0 0 1 3-3h13m-3-3 3 3-3 3" />
    <path d="M20 13v2a3 3 0 0 1-3 3H4m3 3-3-3 3-3" />
  </>,
  'IconRepeat',
);

export const IconInvoice = icon(
  <>
    <path d="M6 3h12v18l-3-2-3 2-3-2-3 2V3Z" />
    <path d="M9 8h6M9 12h6M9 16h3" />
  </>,
  'IconInvoice',
);

export const IconDownload = icon(
  <>
    <path d="M12 4v11m-5-5 5 5 5-5" />
    <path d="M5 20h14" />
  </>,
  'IconDownload',
);

export const IconPause = icon(<path d="M9 5v14M15 5v14" />, 'IconPause');

export const IconPlay = icon(<path d="M7 5v14l12-7L7 5Z" />, 'IconPlay');

export const IconX = icon(<path d="M6 6l12 12M18 6 6 18" />, 'IconX');

export const IconCard = icon(
  <>
    <rect x="3" y="5.5" width="18" height="13" rx="2" />
    <path d="M3 10h18M7 15h3" />
  </>,
  'IconCard',
);

export const IconChecklist = icon(
  <>
    <rect x="3.5" y="3.5" width="17" height="17" rx="2.5" />
    <path d="m7.5 9 1.5 1.5 3-3M7.5 15.5l1.5 1.5 3-3M14.5 9.5h3M14.5 16h3" />
  </>,
  'IconChecklist',
);
