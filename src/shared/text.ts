/**
 * Text hygiene shared by the API schemas, the request layer and the console: lone UTF-16 surrogates
 * (not Unicode text: stores replace them silently) and bidirectional controls (they can make a title
 * render reversed or hide part of it in the console, a list or a terminal).
 */
import { z } from 'zod';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` holds a lone surrogate (`"\ud800"` in JSON): not valid Unicode, refused as text. */
export const hasLoneSurrogate = (s: string): boolean => LONE_SURROGATE.test(s);

/**
 * The embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): they reorder what
 * follows them (the "Trojan Source" characters). The marks U+200E/U+200F/U+061C are kept: they only
 * give a neutral character a direction, reorder nothing, and right-to-left text needs them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** `s` without bidirectional embedding, override and isolate controls. */
export const stripBidiControls = (s: string): string => s.replace(BIDI_CONTROLS, '');

/**
 * A title or a name: one line of text people read in lists, the console and the CLI. Bidirectional
 * controls are dropped (so it always reads in the order it was typed), then it is trimmed and must
 * keep 1..max characters.
 */
export const label = (max: number) => z.string().overwrite(stripBidiControls).trim().min(1).max(max);
