import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import { directoryRoutes } from './directory.routes';
import { DirectoryService, type DirectoryOptions } from './directory.service';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * 업무분장 and officials' presence (issue #11 §1). The phone system's side calls
     * `app.directory.markExtensionOnCall(extension, onCall)` when an official's extension starts or ends a call.
     */
    directory: DirectoryService;
  }
}

/** One DirectoryService per process (its proposal index is cached), decorated on the app, and its routes. */
export async function registerDirectory(app: FastifyInstance, deps: AppDeps, options: DirectoryOptions = {}): Promise<DirectoryService> {
  const directory = new DirectoryService(deps, options);
  app.decorate('directory', directory);
  await app.register(directoryRoutes(directory));
  return directory;
}
