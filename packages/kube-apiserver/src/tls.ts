/**
 * The serving certificate, made at start: self-signed, valid for 127.0.0.1, ::1 and localhost, and
 * marked as its own CA so that it can be the kubeconfig's certificate-authority-data.
 */
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface ServingCertificate {
  cert: string;
  key: string;
}

export async function makeServingCertificate(host: string): Promise<ServingCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 24 * 3600 * 1000);
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
    { type: 2, value: 'localhost' },
  ];
  const known = new Set(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::']);
  if (!known.has(host)) altNames.push(isIP(host) ? { type: 7, ip: host } : { type: 2, value: host });
  const pems = await generate([{ name: 'commonName', value: 'ram-delegation-kube-apiserver' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
