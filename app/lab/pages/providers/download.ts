// Saves bytes as a real file download (Blob + a temporary anchor), the way the vSphere Client hands over an NKP backup.

export function downloadBytes(bytes: Uint8Array, fileName: string, type = 'application/x-pkcs12'): void {
  // A copy on a plain ArrayBuffer: Blob will not take a view of a SharedArrayBuffer.
  const blob = new Blob([new Uint8Array(bytes)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser has taken the file by then; revoking at once can cancel the download in some browsers.
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
