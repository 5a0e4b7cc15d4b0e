// Headless Chromium as a reader of the HTML report: what a browser actually renders (DOM after parsing)
// and what it looks like (a screenshot). Debian's package; scripts/services.sh installs it in CI.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Chromium normally loads a page in about a second; this only bounds a hung browser. */
const CHROMIUM_TIMEOUT_MS = 90_000;

/** Runs headless Chromium on a local file; resolves with its stdout, rejects on a non-zero exit or a timeout. */
function headless(extra: readonly string[], file: string): Promise<string> {
  // A fresh profile each run: no state shared with another run or with a developer's browser.
  const profile = mkdtempSync(join(tmpdir(), 'dlmigrate-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${profile}`,
    ...extra,
    pathToFileURL(file).href,
  ];
  return new Promise<string>((resolve, reject) => {
    // Its own process group, so a timeout ends the browser's helper processes along with it.
    const child = spawn(CHROMIUM, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, CHROMIUM_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code === 0) resolve(stdout);
      else reject(new Error(`chromium ended with ${signal ?? `exit code ${code}`}:\n${stderr.slice(-3000)}`));
    });
  });
}

/** The document as Chromium parsed it (serialised DOM). */
export function renderedDom(file: string): Promise<string> {
  return headless(['--dump-dom'], file);
}

export async function screenshot(
  file: string,
  png: string,
  size: { width: number; height: number },
): Promise<void> {
  await headless([`--screenshot=${png}`, `--window-size=${size.width},${size.height}`], file);
}

/** Each table row of a serialised DOM as the text of its cells (tags dropped, entities of < > & decoded). */
export function tableRows(dom: string): string[][] {
  return [...dom.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((cell) =>
      cell[1]!
        .replace(/<br>/g, '\n')
        .replace(/<[^>]+>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
        .trim(),
    ),
  );
}

/** Width and height from a PNG's IHDR chunk (and a check that the file is a PNG at all). */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR')
    throw new Error('not a PNG file');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export interface NarrowLayout {
  /** The viewport width the page was laid out in. */
  readonly innerWidth: number;
  /** The document's scroll width: more than innerWidth means the page scrolls sideways. */
  readonly scrollWidth: number;
  /** Elements whose right edge lies past the viewport (tag, id or class, right edge in px). */
  readonly overflowing: readonly string[];
}

/**
 * Lays the page out `width` CSS pixels wide and measures it. Headless Chromium keeps its window at least 500 px wide,
 * so the page is loaded into an iframe of that width (its media queries see the iframe's width, as a phone's browser
 * would report it); a probe page beside it — the page itself forbids scripts — measures it once it has loaded.
 */
export async function layoutAt(file: string, width: number): Promise<NarrowLayout> {
  const folder = mkdtempSync(join(tmpdir(), 'dlmigrate-probe-'));
  const probe = join(folder, 'probe.html');
  const measure = `
    const d = this.contentDocument, w = this.contentWindow, out = [];
    for (const el of d.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > w.innerWidth + 0.5)
        out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' ' + Math.round(r.right));
    }
    document.body.dataset.layout = JSON.stringify({ innerWidth: w.innerWidth, scrollWidth: d.documentElement.scrollWidth, overflowing: out });`;
  writeFileSync(
    probe,
    `<!DOCTYPE html><html><body style="margin:0"><iframe src="${pathToFileURL(file).href}" style="width:${width}px;height:900px;border:0" onload="${measure.replace(/"/g, '&quot;')}"></iframe></body></html>`,
  );
  try {
    const dom = await headless(
      ['--dump-dom', '--allow-file-access-from-files', `--window-size=${width},900`],
      probe,
    );
    const attribute = /data-layout="([^"]*)"/.exec(dom)?.[1];
    if (attribute === undefined) throw new Error(`the probe measured nothing:\n${dom.slice(0, 2000)}`);
    return JSON.parse(
      attribute
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    ) as NarrowLayout;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
