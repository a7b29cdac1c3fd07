import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  InviteFilterFieldValue,
  InviteSortFieldValue,
  OBJECT_ID_PATTERN,
  OrgInviteCollectionDto,
  OrgInvitePostDto,
  OrgRoleInfoDto,
  SortDirectionValue,
} from '../contract/types';
import { contractSchemas, schemaProblems } from '../contract/validators';
import { UpstreamAction } from '../rest/upstreamActions';
import { DEMO_TOKEN_SCOPES, SeedOrg, demoSeed } from './demoData';
import { Fault, FaultQueue } from './faults';
import { DuplicateInviteError, InviteStore } from './InviteStore';
import { filterInvites, sortInvites } from './listing';
import { isAllowed } from './scopes';

/**
 * One request as the simulator received it, for tests that count or inspect upstream calls. Its
 * `authorization` header is kept only when it holds one of the simulator's own (published) tokens;
 * any other credential is recorded as `<scheme> [redacted]`.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: unknown;
}

export interface SimulatorOptions {
  /** Organizations and invites to start with; the demo world by default. */
  readonly seed?: readonly SeedOrg[];
  /** Token → scopes; the demo tokens by default. */
  readonly tokens?: Readonly<Record<string, readonly string[]>>;
  /** Clock, for tests that need invites to expire. */
  readonly now?: () => Date;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes?: number;
  /** How many of the latest requests `requests` keeps (oldest dropped first); 0 keeps none. */
  readonly recordLimit?: number;
  /**
   * Records credentials the simulator did not issue as they came, for a test that checks any token
   * is forwarded verbatim; by default they are redacted.
   */
  readonly recordUnknownCredentials?: boolean;
}

/** Enough for any one test's calls; a test simulator never grows past it whatever runs through it. */
const DEFAULT_RECORD_LIMIT = 1000;

const INVITES_PATH = /^\/instances\/([^/]+)\/orgs\/([^/]+)\/invites\/?$/;
const INVITE_PATH = /^\/instances\/([^/]+)\/orgs\/([^/]+)\/invites\/([^/]+)\/?$/;
const SORT_FIELDS: readonly string[] = ['email', 'role', 'inviteDate'];
const SORT_DIRECTIONS: readonly string[] = ['asc', 'desc'];
const FILTER_FIELDS: readonly string[] = ['email', 'role'];

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpProblem(400, 'Validation', 'The path holds an invalid percent-escape');
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
}

/** The header's scheme, if it has one, without its credential. */
function redacted(header: string | string[]): string {
  const scheme = typeof header === 'string' ? /^\s*([A-Za-z]+)\s/.exec(header)?.[1] : undefined;
  return scheme ? `${scheme} [redacted]` : '[redacted]';
}

class HttpProblem extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message);
  }
}

/**
 * A stand-in for the Losant REST API's invite actions: same paths, status codes, bodies, scope
 * checks and validation (against the contract's own JSON schemas), with state in memory. It backs
 * the gateway's zero-configuration mode and every integration test.
 */
export class SimulatorServer {
  readonly store: InviteStore;
  readonly faults = new FaultQueue();
  /** The latest requests, oldest first, at most `recordLimit` of them; tests may empty it (`length = 0`). */
  readonly requests: RecordedRequest[] = [];
  /** Every request received since start, recorded or not. */
  received = 0;
  /** Requests being handled right now, and the most there have been at once (for concurrency caps). */
  inFlight = 0;
  maxInFlight = 0;
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly tokens: Readonly<Record<string, readonly string[]>>;
  private readonly maxBodyBytes: number;
  private readonly now: () => Date;
  private readonly recordLimit: number;
  private readonly recordUnknownCredentials: boolean;

  constructor(options: SimulatorOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.recordLimit = options.recordLimit ?? DEFAULT_RECORD_LIMIT;
    this.recordUnknownCredentials = options.recordUnknownCredentials ?? false;
    this.store = new InviteStore(options.seed ?? demoSeed(this.now()), this.now);
    this.tokens = options.tokens ?? DEMO_TOKEN_SCOPES;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.server = http.createServer((req, res) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('close', () => this.inFlight--);
      this.handle(req, res).catch((error: unknown) => {
        // A bug in the simulator should be loud in tests, not look like an upstream 500.
        console.error('simulator failure', error);
        if (!res.headersSent) this.send(res, 500, { type: 'InternalError', message: 'simulator failure' });
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts listening; answers the base URL to give the gateway as `LOSANT_API_URL`. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.url;
  }

  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  /** Stops listening and drops every open connection, including ones held by a `hang` fault. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests received for one action, e.g. `callsTo('GET')`. */
  callsTo(method: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await this.readBody(req);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: body.parsed,
    };
    this.record(request);

    const fault = this.faults.take(request.method);
    if (fault && (await this.applyFault(fault, res))) return;

    try {
      if (body.tooLarge) throw new HttpProblem(413, 'PayloadTooLarge', 'Request body is too large');
      const result = this.route(request, body);
      this.send(res, result.status, result.body);
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      this.send(res, error.status, { type: error.type, message: error.message });
    }
  }

  /**
   * Counts the request and keeps it in the bounded record, without the caller's credential unless
   * it is one of the simulator's own tokens (which it holds anyway): the embedded simulator runs
   * inside the gateway, and must not keep every caller's token for as long as it runs.
   */
  private record(request: RecordedRequest): void {
    this.received++;
    if (this.recordLimit === 0) return;
    const { authorization } = request.headers;
    const kept = authorization === undefined || this.recordUnknownCredentials || this.scopesOf(authorization) !== undefined;
    this.requests.push(kept ? request : { ...request, headers: { ...request.headers, authorization: redacted(authorization) } });
    if (this.requests.length > this.recordLimit) this.requests.splice(0, this.requests.length - this.recordLimit);
  }

  /** Answers true when the fault has answered (or dropped) the request itself. */
  private async applyFault(fault: Fault, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'status':
        this.send(res, fault.status, fault.body ?? { type: 'Injected', message: `Injected HTTP ${fault.status}` }, fault.headers);
        return true;
      case 'raw':
        res.writeHead(fault.status, { 'content-type': fault.contentType });
        res.end(fault.body);
        return true;
      case 'reset':
        res.socket?.destroy();
        return true;
      case 'hang':
        return true;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return false;
    }
  }

  private route(request: RecordedRequest, body: { parsed?: unknown; invalidJson: boolean }): { status: number; body: unknown } {
    const single = INVITE_PATH.exec(request.path);
    if (single) return this.routeInvite(request, body, single.slice(1).map(decodePathSegment));
    const match = INVITES_PATH.exec(request.path);
    if (!match) throw new HttpProblem(404, 'NotFound', `No route for ${request.method} ${request.path}`);
    const [, instanceId, orgId] = match.map(decodePathSegment);

    const action: UpstreamAction | undefined =
      request.method === 'GET' ? UpstreamAction.listInvites : request.method === 'POST' ? UpstreamAction.inviteMember : undefined;
    if (!action) throw new HttpProblem(405, 'MethodNotAllowed', `${request.method} is not supported on this resource`);
    this.authorize(request, action);

    if (!OBJECT_ID_PATTERN.test(instanceId)) throw new HttpProblem(400, 'Validation', 'instanceId must be a 24 character hex id');
    if (!OBJECT_ID_PATTERN.test(orgId)) throw new HttpProblem(400, 'Validation', 'orgId must be a 24 character hex id');

    if (action === UpstreamAction.listInvites) {
      const query = this.listQuery(request.query);
      return { status: 200, body: this.collection(instanceId, orgId, query) };
    }

    if (body.invalidJson) throw new HttpProblem(400, 'Validation', 'Request body is not valid JSON');
    const problems = schemaProblems(contractSchemas.orgInvitePost, body.parsed);
    if (problems.length > 0) {
      const first = problems[0];
      throw new HttpProblem(400, 'Validation', `${first.path || 'invite'} ${first.message}`);
    }
    this.requireOrg(instanceId, orgId);
    try {
      this.store.add(instanceId, orgId, body.parsed as OrgInvitePostDto);
    } catch (error) {
      if (error instanceof DuplicateInviteError) throw new HttpProblem(400, 'Validation', error.message);
      throw error;
    }
    return { status: 201, body: this.collection(instanceId, orgId, { sortField: 'inviteDate', sortDirection: 'desc' }) };
  }

  /** The single-invite resource: `GET` reads, `DELETE` revokes, `POST` resends with new roles. */
  private routeInvite(
    request: RecordedRequest,
    body: { parsed?: unknown; invalidJson: boolean },
    [instanceId, orgId, inviteId]: string[],
  ): { status: number; body: unknown } {
    const actions: Record<string, UpstreamAction> = {
      GET: UpstreamAction.getInvite,
      DELETE: UpstreamAction.revokeInvite,
      POST: UpstreamAction.resendInvite,
    };
    const action = actions[request.method];
    if (!action) throw new HttpProblem(405, 'MethodNotAllowed', `${request.method} is not supported on this resource`);
    this.authorize(request, action);
    for (const [name, id] of [
      ['instanceId', instanceId],
      ['orgId', orgId],
      ['inviteId', inviteId],
    ]) {
      if (!OBJECT_ID_PATTERN.test(id)) throw new HttpProblem(400, 'Validation', `${name} must be a 24 character hex id`);
    }
    if (action === UpstreamAction.resendInvite) {
      if (body.invalidJson) throw new HttpProblem(400, 'Validation', 'Request body is not valid JSON');
      const problems = schemaProblems(contractSchemas.orgRoleInfo, body.parsed ?? null);
      if (problems.length > 0) throw new HttpProblem(400, 'Validation', `${problems[0].path || 'roleInfo'} ${problems[0].message}`);
    }
    this.requireOrg(instanceId, orgId);
    const notFound = new HttpProblem(404, 'NotFound', 'Invite was not found');
    switch (action) {
      case UpstreamAction.getInvite: {
        const invite = this.store.find(instanceId, orgId, inviteId);
        if (!invite) throw notFound;
        return { status: 200, body: invite };
      }
      case UpstreamAction.revokeInvite:
        if (!this.store.remove(instanceId, orgId, inviteId)) throw notFound;
        return { status: 200, body: { success: true } };
      default: {
        const invite = this.store.resend(instanceId, orgId, inviteId, body.parsed as OrgRoleInfoDto);
        if (!invite) throw notFound;
        return { status: 201, body: invite };
      }
    }
  }

  private authorize(request: RecordedRequest, action: UpstreamAction): void {
    const scopes = this.scopesOf(request.headers.authorization);
    if (!scopes) throw new HttpProblem(401, 'Unauthorized', 'A valid API access token is required');
    if (!isAllowed(scopes, action)) {
      throw new HttpProblem(403, 'Forbidden', `The token does not have a scope that allows ${action}`);
    }
  }

  /** The scopes of a bearer token the simulator knows; own keys only, so `Bearer constructor` is unknown. */
  private scopesOf(authorization: string | string[] | undefined): readonly string[] | undefined {
    const token = bearerToken(authorization);
    return token !== undefined && Object.hasOwn(this.tokens, token) ? this.tokens[token] : undefined;
  }

  private listQuery(query: Readonly<Record<string, string>>): {
    sortField: InviteSortFieldValue;
    sortDirection: SortDirectionValue;
    filterField?: InviteFilterFieldValue;
    filter?: string;
  } {
    const sortField = query.sortField ?? 'inviteDate';
    if (!SORT_FIELDS.includes(sortField)) throw new HttpProblem(400, 'Validation', `sortField must be one of ${SORT_FIELDS.join(', ')}`);
    const sortDirection = (query.sortDirection ?? 'desc').toLowerCase();
    if (!SORT_DIRECTIONS.includes(sortDirection)) throw new HttpProblem(400, 'Validation', 'sortDirection must be asc or desc');
    const filterField = query.filterField || undefined;
    if (filterField !== undefined && !FILTER_FIELDS.includes(filterField)) {
      throw new HttpProblem(400, 'Validation', `filterField must be one of ${FILTER_FIELDS.join(', ')}`);
    }
    return {
      sortField: sortField as InviteSortFieldValue,
      sortDirection: sortDirection as SortDirectionValue,
      filterField: filterField as InviteFilterFieldValue | undefined,
      filter: query.filter,
    };
  }

  private requireOrg(instanceId: string, orgId: string): void {
    if (!this.store.hasInstance(instanceId)) throw new HttpProblem(404, 'NotFound', 'Instance was not found');
    if (!this.store.invites(instanceId, orgId)) throw new HttpProblem(404, 'NotFound', 'Organization was not found');
  }

  private collection(
    instanceId: string,
    orgId: string,
    query: { sortField: InviteSortFieldValue; sortDirection: SortDirectionValue; filterField?: InviteFilterFieldValue; filter?: string },
  ): OrgInviteCollectionDto & { _links: unknown; _type: string } {
    this.requireOrg(instanceId, orgId);
    const all = this.store.invites(instanceId, orgId) ?? [];
    const items = sortInvites(filterInvites(all, query.filterField, query.filter), query.sortField, query.sortDirection);
    return {
      items,
      count: items.length,
      instanceId,
      orgId,
      sortField: query.sortField,
      sortDirection: query.sortDirection,
      ...(query.filterField !== undefined ? { filterField: query.filterField } : {}),
      ...(query.filter !== undefined ? { filter: query.filter } : {}),
      // Like the real API, responses carry properties a client must ignore.
      _type: 'orgInvites',
      _links: { self: { href: `/instances/${instanceId}/orgs/${orgId}/invites` } },
    };
  }

  private async readBody(req: IncomingMessage): Promise<{ parsed?: unknown; invalidJson: boolean; tooLarge: boolean }> {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > this.maxBodyBytes) tooLarge = true;
      else chunks.push(chunk as Buffer);
    }
    if (size === 0 || tooLarge) return { invalidJson: false, tooLarge };
    try {
      return { parsed: JSON.parse(Buffer.concat(chunks).toString('utf8')), invalidJson: false, tooLarge };
    } catch {
      return { invalidJson: true, tooLarge };
    }
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
    res.end(payload);
  }
}
