/** Types for electron-binary.mjs, which plain-Node scripts import too. */
export function findElectronBinary(): string | null;
export const ELECTRON_INSTALLER: string;
