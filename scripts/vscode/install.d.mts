export function installVscodeTools(): void;
