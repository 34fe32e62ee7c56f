// Node selection by vSphere release, as pure rules: 6.5/6.7 always from the top with a fixed 60 s; 7.0 and later take
// turns and wait the server's I/O timeout (the lab's 60 s assumption when a provider sets none).
import { describe, expect, it } from 'vitest';
import { ASSUMED_SERVER_TIMEOUT_S, hungNodeWaitMs, nextNodeId, nodeSelectionOf, requestOrder } from './kms-node-selection';

describe('KMS node selection', () => {
  it('is an ordered list on 6.5 and 6.7, round-robin from 7.0', () => {
    expect(nodeSelectionOf('6.5')).toBe('ordered');
    expect(nodeSelectionOf('6.7')).toBe('ordered');
    expect(nodeSelectionOf('7.0')).toBe('roundRobin');
    expect(nodeSelectionOf('8.0')).toBe('roundRobin');
    expect(nodeSelectionOf('9.0')).toBe('roundRobin');
  });

  it('an ordered request always starts at the top; a round-robin one where the turn is, then fails over along the list', () => {
    const nodes = ['kms-a', 'kms-b', 'kms-c'];
    expect(requestOrder(nodes, 'ordered', 2)).toEqual(nodes);
    expect(requestOrder(nodes, 'roundRobin', 0)).toEqual(['kms-a', 'kms-b', 'kms-c']);
    expect(requestOrder(nodes, 'roundRobin', 1)).toEqual(['kms-b', 'kms-c', 'kms-a']);
    expect(requestOrder(nodes, 'roundRobin', 5)).toEqual(['kms-c', 'kms-a', 'kms-b']);
    expect(nextNodeId([], 'roundRobin', 3)).toBeNull();
  });

  it('waits a fixed 60 s on 6.x whatever the provider says, and the per-server timeout from 7.0', () => {
    expect(hungNodeWaitMs('6.7', { serverTimeoutS: 10 })).toBe(60_000);
    expect(hungNodeWaitMs('8.0', { serverTimeoutS: 10 })).toBe(10_000);
    expect(hungNodeWaitMs('7.0', {})).toBe(ASSUMED_SERVER_TIMEOUT_S * 1000);
  });
});
