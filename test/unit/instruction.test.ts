import * as assert from 'node:assert/strict';
import { instructionToSend } from '../../src/core/edit/instruction';

describe('instruction box: what Enter sends', () => {
  const recent = { label: 'add logging', recent: true };
  const fresh = { label: 'use reduce', recent: false };

  it('sends what was typed when the active item is a recent one the user did not move to (fast typing, paste)', () => {
    assert.equal(instructionToSend('use reduce', recent, false), 'use reduce');
    assert.equal(instructionToSend('  use reduce  ', undefined, false), 'use reduce');
  });

  it('sends the recent item the user moved to', () => {
    assert.equal(instructionToSend('add', recent, true), 'add logging');
  });

  it('sends the typed text when the user moved back to the new-instruction item', () => {
    assert.equal(instructionToSend('use reduce', fresh, true), 'use reduce');
  });

  it('with nothing typed, sends the active recent item; with nothing at all, nothing', () => {
    assert.equal(instructionToSend('', recent, false), 'add logging');
    assert.equal(instructionToSend('   ', undefined, false), undefined);
    assert.equal(instructionToSend('', { label: '  ' }, true), undefined);
  });
});
