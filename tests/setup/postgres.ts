import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { clusterUrl, psql, startCluster } from '../helpers/postgres-cluster.mjs';

/** What the PostgreSQL tests are given: where the throwaway cluster listens (tests/helpers/postgres-cluster.ts). */
export interface PostgresTestServer {
  readonly socketDir: string;
  readonly port: number;
  readonly user: string;
  readonly binDir: string;
  /** A database with an empty register, copied (CREATE DATABASE ... TEMPLATE) for every test workspace. */
  readonly template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresTestServer;
  }
}

export const TEMPLATE_DATABASE = 'urp_template';

/**
 * vitest's global setup of the PostgreSQL project: one cluster for the
 * whole run, a database per test workspace inside it. Stopped and removed
 * by the teardown vitest runs at the end (whatever the tests did), and by
 * an exit handler if the run is interrupted.
 */
export default function setup(project: TestProject): () => void {
  const cluster = startCluster();
  const onExit = () => cluster.stop();
  process.once('exit', onExit);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cluster.stop();
      process.exit(130);
    });
  }
  try {
    psql(cluster, 'postgres', `create database ${TEMPLATE_DATABASE}`);
    const init = spawnSync(process.execPath, [resolve(import.meta.dirname, '../../bin/urp'), '--db', clusterUrl(cluster, TEMPLATE_DATABASE), 'init'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8' },
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`urp init of the template database failed: ${init.stderr}`);
  } catch (error) {
    cluster.stop();
    throw error;
  }
  project.provide('postgres', { socketDir: cluster.socketDir, port: cluster.port, user: cluster.user, binDir: cluster.binDir, template: TEMPLATE_DATABASE });
  return () => {
    process.off('exit', onExit);
    cluster.stop();
  };
}
