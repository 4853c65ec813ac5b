/**
 * The browser's file chooser and downloads, for web mode's workspace archives. The chooser is a
 * hidden <input type=file>: clicking it must happen inside the user's click or key press.
 */
import type { ArchivePlatform, PickedFile } from './archive.ts';

export const browserFiles: ArchivePlatform = {
  pickFile() {
    return new Promise<PickedFile | null>((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.zip,application/zip';
      input.hidden = true;
      // In the document while the chooser is open: a detached input nothing refers to can be
      // garbage-collected before the user picks, and the choice (or the chooser) is lost.
      document.body.append(input);
      const done = (picked: PickedFile | null) => {
        input.remove();
        resolve(picked);
      };
      input.addEventListener('change', () => {
        const file = input.files?.[0];
        done(file ? { name: file.name, size: file.size, bytes: async () => new Uint8Array(await file.arrayBuffer()) } : null);
      });
      input.addEventListener('cancel', () => done(null));
      input.click();
    });
  },
  download(fileName, bytes) {
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    // Revoking at once can cancel a download that has not started reading yet (FileSaver.js waits 40 s).
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
};
