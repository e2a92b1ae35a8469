/** The sessions view offers the XDF export next to CSV and FIT, and its button exports XDF only. */
import { createElement, isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ExportButtons, type ExportButtonsProps } from '../../../../../src/renderer/views/sessions/ExportButtons';
import type { ExportFormatId } from '../../../../../src/shared/recording/exportFormats';

type ButtonProps = { children?: ReactNode; onClick?: () => void; disabled?: boolean; title?: string };

function buttons(node: ReactNode): ReactElement<ButtonProps>[] {
  if (Array.isArray(node)) return node.flatMap(buttons);
  if (!isValidElement<ButtonProps>(node)) return [];
  const own = node.type === 'button' ? [node] : [];
  return [...own, ...buttons(node.props.children)];
}

describe('XDF export button', () => {
  it('sits with the CSV and FIT buttons and asks for an XDF export of that session', () => {
    const calls: [string, readonly ExportFormatId[]][] = [];
    const props: ExportButtonsProps = { sessionId: 'sub-01_ses-1_20261125T093000', progress: null, onExport: (id, f) => calls.push([id, f]) };
    const html = renderToStaticMarkup(createElement(ExportButtons, props));
    expect(html).toMatch(/FIT<\/button><button[^>]*title="One Lab Streaming Layer file[^"]*"[^>]*>XDF \(LSL\)<\/button>/);
    const xdf = buttons(ExportButtons(props)).find((b) => b.props.children === 'XDF (LSL)')!;
    xdf.props.onClick!();
    expect(calls).toEqual([['sub-01_ses-1_20261125T093000', ['xdf']]]);
  });
});
