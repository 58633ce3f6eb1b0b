#!/bin/sh
# Regenerates the test PKI in this directory. Every certificate is valid for 100 years.
set -eu
cd "$(dirname "$0")"
DAYS=36500

# Certificate authority (RSA 2048, self-signed).
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
    -keyout ca.key -out ca.pem -subj "/O=MeshBridge Tests/CN=MeshBridge Test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

# Server certificate for 127.0.0.1, ::1 and localhost (RSA 2048, PKCS#8 key).
openssl req -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr \
    -subj "/O=MeshBridge Tests/CN=localhost"
cat > server.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
EXT
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days "$DAYS" \
    -extfile server.ext -out server.pem

# Client certificate (ECDSA P-256, PKCS#8 key) for mutual TLS.
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -keyout client.key -out client.csr \
    -subj "/O=MeshBridge Tests/CN=meshbridge-test-client"
cat > client.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
EXT
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days "$DAYS" \
    -extfile client.ext -out client.pem

rm -f server.csr client.csr server.ext client.ext ca.srl
