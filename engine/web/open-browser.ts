/** Opens a URL in the user's browser, the way each platform expects; failures are only reported. */
import { spawn } from 'node:child_process';

export function browserCommand(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): { file: string; args: string[] } {
  if (env.BROWSER) return { file: env.BROWSER, args: [url] };
  if (platform === 'darwin') return { file: 'open', args: [url] };
  // rundll32 takes the URL as one argument, so no cmd.exe quoting rules apply to it.
  if (platform === 'win32') return { file: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { file: 'xdg-open', args: [url] };
}

export function openBrowser(url: string, onError: (message: string) => void): void {
  const { file, args } = browserCommand(url);
  try {
    const child = spawn(file, args, { detached: true, stdio: 'ignore' });
    child.once('error', (error) => onError(`could not open a browser (${file}: ${error.message}); open the URL above yourself`));
    child.unref();
  } catch (error) {
    onError(`could not open a browser (${(error as Error).message}); open the URL above yourself`);
  }
}
