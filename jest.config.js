// Two projects: fast HTTP/unit tests (test/) and real-browser tests (e2e/).
// `npm test` runs both; `npm run e2e` only the browser tests.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/e2e'],
      transform: { '^.+\\.ts$': tsJest },
    },
  ],
};
