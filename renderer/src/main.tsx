/** Boots the renderer: backend, controller, then React. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { ControllerContext } from './app/context.ts';
import { Controller } from './app/controller.ts';
import { createBackend } from './backend.ts';
import { browserFiles } from './features/archive/browser-files.ts';
import './theme.css';

const controller = new Controller(createBackend(), localStorage, browserFiles);
// Exposed for the end-to-end tests' measurements and for debugging from DevTools; holds no secrets.
(window as unknown as { isolab_ui?: Controller }).isolab_ui = controller;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ControllerContext.Provider value={controller}>
      <App />
    </ControllerContext.Provider>
  </StrictMode>,
);

controller.start().catch((error: Error) => {
  console.error('Isolab could not start', error);
});
