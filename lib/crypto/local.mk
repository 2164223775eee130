# lib/crypto: the crypto provider layer on mbedTLS (owned by the crypto work).
