/** Entry point: mounts the app. */
import { render } from 'preact';
import { App } from './app.tsx';
import './styles/base.css';
import './styles/components.css';
import './styles/pages.css';

render(<App />, document.getElementById('app')!);
