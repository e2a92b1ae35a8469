/** Renderer entry. */
import './zodCsp'; // first: no eval probe under the CSP
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startApp } from './app';
import { App } from './App';
import './styles/app.css';

startApp();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
