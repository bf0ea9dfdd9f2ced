import NIOSSL

/// A self-signed certificate for "localhost" and 127.0.0.1, used only by the TLS test.
enum TestCertificate {
    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBnDCCAUGgAwIBAgIUISOrfXA7b1pGHsATAMjc4w46d/UwCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyOTE2NTczNVoYDzIxMjYxMTA1
        MTY1NzM1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAARHLfTLFwAI/rB0l3qBObrHCJHjifqL6KUH0TbtBwkK/+4PXjq8undb
        QGKjS4IFBdaeUFuWjplJkXP7DRrkbdeKo28wbTAdBgNVHQ4EFgQUlgcjfobupsIB
        pnoUqPx1wA2pmvIwHwYDVR0jBBgwFoAUlgcjfobupsIBpnoUqPx1wA2pmvIwDwYD
        VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
        zj0EAwIDSQAwRgIhALtbufrJxq1hJzu3DBfZJHjrO2MBAHhWk1ObxAnfW4ADAiEA
        z2+tsJ/G7OIPIiCjnogtjvPtqPg8G9Qf28ITAGRDKD8=
        -----END CERTIFICATE-----
        """

    static let privateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgw+Dj+LFRfZ+mcQ+g
        EDWK2iPoEOzXLc+f972fpgehTNqhRANCAARHLfTLFwAI/rB0l3qBObrHCJHjifqL
        6KUH0TbtBwkK/+4PXjq8undbQGKjS4IFBdaeUFuWjplJkXP7DRrkbdeK
        -----END PRIVATE KEY-----
        """

    static func serverConfiguration() throws -> TLSConfiguration {
        TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem))
        )
    }

    static func clientConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)])
        return configuration
    }
}
