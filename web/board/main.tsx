// Entry of the status board page (/).
import './board.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Board } from './Board.js';

const container = document.getElementById('board');
if (container === null) throw new Error('index.html has no #board element');

createRoot(container).render(
  <StrictMode>
    <Board />
  </StrictMode>,
);
