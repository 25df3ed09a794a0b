import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_DISPLAY_NAME, MAX_DISPLAY_NAME_LENGTH } from '../../src/core/protocol.js';
import { cleanDisplayName, isDisplayNameInput, isValidRoomName } from '../../server/validation.js';

describe('isValidRoomName', () => {
  test('accepts letters, digits, _ and - up to 64 characters', () => {
    for (const room of ['a', 'Team-42_standup', 'x'.repeat(64), '-', '0']) {
      assert.equal(isValidRoomName(room), true, room);
    }
  });

  test('refuses empty, too long, paths, spaces, unicode and non-strings', () => {
    for (const room of ['', 'x'.repeat(65), '../x', 'a/b', 'a b', ' a', 'a\n', 'café', 'ｒｏｏｍ', 'a.b', '%2e']) {
      assert.equal(isValidRoomName(room), false, JSON.stringify(room));
    }
    for (const room of [undefined, null, 42, ['a']]) assert.equal(isValidRoomName(room), false);
  });
});

describe('isDisplayNameInput', () => {
  test('allows a string or nothing, refuses any other type', () => {
    assert.equal(isDisplayNameInput('Ann'), true);
    assert.equal(isDisplayNameInput(''), true);
    assert.equal(isDisplayNameInput(undefined), true);
    for (const value of [null, 42, true, ['Ann'], { name: 'Ann' }]) {
      assert.equal(isDisplayNameInput(value), false, JSON.stringify(value));
    }
  });
});

describe('cleanDisplayName', () => {
  test('keeps an ordinary name, including non-Latin letters and emoji', () => {
    assert.equal(cleanDisplayName('Ann'), 'Ann');
    assert.equal(cleanDisplayName('Zoë Øster 李 🎉'), 'Zoë Øster 李 🎉');
  });

  test('strips control characters and turns line breaks into spaces', () => {
    assert.equal(cleanDisplayName('An\u0000n\u0007\u001b[31m'), 'Ann[31m');
    assert.equal(cleanDisplayName('Ann\nSmith\r\n\tJr'), 'Ann Smith Jr');
    assert.equal(cleanDisplayName('Ann\u007f\u0085'), 'Ann');
  });

  test('strips bidi overrides and other format characters', () => {
    // U+202E would make "Ann\u202Egpj.exe" display as "Annexe.jpg".
    assert.equal(cleanDisplayName('Ann\u202Egpj.exe'), 'Anngpj.exe');
    assert.equal(cleanDisplayName('\u2066A\u2069\u200Bn\u200Dn\uFEFF\u00AD'), 'Ann');
  });

  test('drops lone surrogates', () => {
    assert.equal(cleanDisplayName('A\uD800nn\uDFFF'), 'Ann');
  });

  test('collapses whitespace and trims', () => {
    assert.equal(cleanDisplayName('   Ann    \u00A0  Smith   '), 'Ann Smith');
    assert.equal(cleanDisplayName('Ann \u202E Smith'), 'Ann Smith');
  });

  test('cuts to the maximum length in code points, not UTF-16 units', () => {
    const long = '😀'.repeat(MAX_DISPLAY_NAME_LENGTH + 10);
    const cleaned = cleanDisplayName(long);
    assert.equal(Array.from(cleaned).length, MAX_DISPLAY_NAME_LENGTH);
    assert.equal(cleaned, '😀'.repeat(MAX_DISPLAY_NAME_LENGTH));
    const cutAtSpace = `${'a'.repeat(MAX_DISPLAY_NAME_LENGTH - 1)} b`;
    assert.equal(cleanDisplayName(cutAtSpace), 'a'.repeat(MAX_DISPLAY_NAME_LENGTH - 1));
  });

  test('falls back to the default name when nothing visible is left', () => {
    assert.equal(cleanDisplayName(undefined), DEFAULT_DISPLAY_NAME);
    assert.equal(cleanDisplayName(''), DEFAULT_DISPLAY_NAME);
    assert.equal(cleanDisplayName('  \t\n '), DEFAULT_DISPLAY_NAME);
    assert.equal(cleanDisplayName('\u202E\u200B\u0000'), DEFAULT_DISPLAY_NAME);
  });
});
