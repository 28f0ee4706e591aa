/**
 * A self-signed certificate for `receiver.test` (valid 2020 to 2120), so TLS
 * tests can prove the client checks the URL's hostname while connecting to a
 * pinned 127.0.0.1. Test-only: the key protects nothing.
 */
export const RECEIVER_TLS = {
  hostname: 'receiver.test',
  cert: `
-----BEGIN CERTIFICATE-----
MIIBbTCCAROgAwIBAgIBATAKBggqhkjOPQQDAjAYMRYwFAYDVQQDDA1yZWNlaXZl
ci50ZXN0MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjAYMRYwFAYD
VQQDDA1yZWNlaXZlci50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7zRo
Pi3O0PRb032xZus4XiRUwvDKm4NWGcMJrPqf4Gu3JruMmzo1oPlRShcchU+tWhb9
sgR2Bid1BRR/W072KaNMMEowDwYDVR0TAQH/BAUwAwEB/zAYBgNVHREEETAPgg1y
ZWNlaXZlci50ZXN0MB0GA1UdDgQWBBQFz+wTTmDczROu44JQdjaHeH+DGDAKBggq
hkjOPQQDAgNIADBFAiABssfTzZeVIZONHgwfCYKv/OEqJZQldW7gu9eBewHu5gIh
AM9ZJp2+R124eQ8PoFSIs0s1zzsFjv7x5UUwspT+Du/L
-----END CERTIFICATE-----
`.trim(),
  key: `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg9pynMrLJuC/ElmQg
Rkqnn6jzT47NMIzWdUUzQYQw6EShRANCAATvNGg+Lc7Q9FvTfbFm6zheJFTC8Mqb
g1YZwwms+p/ga7cmu4ybOjWg+VFKFxyFT61aFv2yBHYGJ3UFFH9bTvYp
-----END PRIVATE KEY-----
`.trim(),
};
