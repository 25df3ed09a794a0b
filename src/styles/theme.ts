/** `light` or `dark` forces a colour scheme; `auto` follows the visitor's `prefers-color-scheme`. */
export type Theme = 'auto' | 'light' | 'dark';
