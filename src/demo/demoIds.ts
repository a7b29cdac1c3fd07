/*
 * The ids of the demo world: the embedded simulator seeds its organizations under them
 * (`simulator/demoData.ts`), and the playground's example operations read those organizations.
 * Here, apart from both, so that the playground (production code) names the demo organizations
 * without loading the simulator. README.md documents these values so every example there works
 * verbatim; change them together.
 */

export const DEMO_INSTANCE_ID = '5f1e0a9b2c3d4e5f60718293';
/** An organization with a handful of invites of every role. */
export const DEMO_ORG_ID = '5f1e0a9b2c3d4e5f60718294';
/** A second organization, so that tests and federation examples can tell orgs apart. */
export const DEMO_SECOND_ORG_ID = '5f1e0a9b2c3d4e5f60718295';
/** An organization with no invites yet. */
export const DEMO_EMPTY_ORG_ID = '5f1e0a9b2c3d4e5f60718296';
