// The contact box's script (see message-box.ts): file a message, keep the last ones, renew the expiry.
import { MESSAGE_LIMITS, type ReceivedMessage } from '../../contact/message-box';
import { defineScript, type CommandParser } from 'redis';

// KEYS: the box. ARGV: the message (JSON), how many to keep, for how long (ms).
const FILE = `
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** Registered on the client (see client.ts): `client.messageFile(key, message)`. */
export const messageScripts = {
  messageFile: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: FILE,
    parseCommand(parser: CommandParser, key: string, message: ReceivedMessage) {
      parser.pushKey(key);
      parser.push(
        JSON.stringify(message),
        String(MESSAGE_LIMITS.keep),
        String(MESSAGE_LIMITS.keepMs),
      );
    },
    transformReply: (reply: unknown) => reply as number,
  }),
};
