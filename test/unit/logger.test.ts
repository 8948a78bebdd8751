import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../infra/local/adapter.js';
import { logger } from '../../lib/logger.js';
import { LogCapture } from '../support/logs.js';

let capture: LogCapture | undefined;
afterEach(() => capture?.stop());

describe('the logger', () => {
  it('writes one JSON record per call, with the invocation keys until they are reset', () => {
    capture = new LogCapture().start('INFO');
    logger.addContext(lambdaContext('me', 'req-1'));
    logger.appendKeys({ requestId: 'req-1' });
    logger.info('first', { status: 200 });
    logger.addContext(lambdaContext('me', 'req-2'));
    logger.warn('second');
    logger.resetKeys();
    logger.error('third');
    const [first, second, third] = capture.records();
    expect(first).toMatchObject({
      level: 'INFO',
      message: 'first',
      status: 200,
      requestId: 'req-1',
    });
    expect(first).toHaveProperty('service', 'capptro-user-management');
    expect(typeof first?.coldStart).toBe('boolean');
    expect(second).toMatchObject({ level: 'WARN', message: 'second', coldStart: false });
    expect(third).toMatchObject({ level: 'ERROR', message: 'third' });
    expect(third).not.toHaveProperty('requestId');
    expect(capture.lines).toHaveLength(3);
  });

  it('drops records below its level', () => {
    capture = new LogCapture().start('INFO');
    logger.setLogLevel('WARN');
    logger.debug('no');
    logger.info('no');
    logger.warn('yes');
    expect(capture.records().map((r) => r.message)).toEqual(['yes']);
  });
});
