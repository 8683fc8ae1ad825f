import { Paper, Table } from '@mantine/core';
import { useNavigate, type NavigateOptions } from '@tanstack/react-router';
import type { MouseEvent, ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { AnchorLink } from './links.tsx';
import { Pager } from './Pager.tsx';
import { ErrorState, SkeletonRows } from './states.tsx';

export interface Column<T> {
  header: ReactNode;
  /** Fixed width in pixels; the rest share what is left. */
  width?: number;
  render(row: T): ReactNode;
  /** Wrap the cell in a real link to the row's page (so it can be middle-clicked, tabbed to). */
  link?: boolean;
}

/** The bits of a query result the table needs (a TanStack Query result fits). */
export interface ListQueryState {
  isPending: boolean;
  isFetching: boolean;
  isError: boolean;
  error: ApiError | null;
  refetch(): unknown;
}

export interface ListPaging {
  hasPrev: boolean;
  hasNext: boolean;
  prev(): void;
  next(): void;
  nouns: [string, string];
}

/** Clicks on a control inside a row do their own thing, not open the row. */
function fromControl(event: MouseEvent<HTMLElement>): boolean {
  return event.target instanceof Element && event.target.closest('a, button, input, [role="button"]') !== null;
}

/**
 * A list page's table: column headers, skeleton rows while loading, the API's error with a
 * retry, an empty state, rows that open their page, and a pager.
 */
export function ListTable<T extends { id: string }>(props: {
  query: ListQueryState;
  rows: T[];
  columns: Array<Column<T>>;
  tableTestId: string;
  rowTestId: string;
  errorTitle: string;
  /** Shown instead of the table when the rows are empty (null: an empty table, e.g. past the last page). */
  empty?: ReactNode;
  rowLink?: (row: T) => NavigateOptions;
  paging?: ListPaging;
  minWidth?: number;
  skeletonRows?: number;
}) {
  const navigate = useNavigate();
  const { query, rows, columns, rowLink } = props;
  if (query.isError) return <ErrorState title={props.errorTitle} error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.isPending && rows.length === 0 && props.empty) return <>{props.empty}</>;

  const cell = (column: Column<T>, row: T) => {
    const content = column.render(row);
    if (!column.link || !rowLink) return content;
    return (
      <AnchorLink {...rowLink(row)} fw={500} c="dark">
        {content}
      </AnchorLink>
    );
  };
  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={props.minWidth ?? 680}>
        <Table highlightOnHover={false} data-testid={props.tableTestId}>
          <Table.Thead bg="gray.0">
            <Table.Tr>
              {columns.map((column, index) => (
                <Table.Th key={index} w={column.width}>
                  {column.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.isPending ? (
              <SkeletonRows columns={columns.length} rows={props.skeletonRows} />
            ) : (
              rows.map((row) => (
                <Table.Tr
                  key={row.id}
                  data-testid={props.rowTestId}
                  data-id={row.id}
                  className={rowLink ? 'recur-row-link' : undefined}
                  onClick={
                    rowLink
                      ? (event) => {
                          if (!fromControl(event)) void navigate(rowLink(row));
                        }
                      : undefined
                  }
                >
                  {columns.map((column, index) => (
                    <Table.Td key={index}>{cell(column, row)}</Table.Td>
                  ))}
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {props.paging ? (
        <Pager
          count={rows.length}
          nouns={props.paging.nouns}
          hasPrev={props.paging.hasPrev}
          hasNext={props.paging.hasNext}
          onPrev={props.paging.prev}
          onNext={props.paging.next}
          busy={query.isFetching}
          loading={query.isPending}
        />
      ) : null}
    </Paper>
  );
}
