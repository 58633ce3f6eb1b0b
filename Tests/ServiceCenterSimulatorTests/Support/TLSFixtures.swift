import Foundation

/// Test-only PKI generated once with openssl (100-year validity): a CA, a server certificate for 127.0.0.1 /
/// localhost and a client certificate, both signed by the CA. Never used outside tests.
enum TLSFixtures {
    static let caCertificate = """
        -----BEGIN CERTIFICATE-----
        MIIDGzCCAgOgAwIBAgIUQun4Gyo9xkOcTGAIqMIUKVQi8zAwDQYJKoZIhvcNAQEL
        BQAwHDEaMBgGA1UEAwwRU2ltdWxhdG9yIFRlc3QgQ0EwIBcNMjYxMTIyMDI0MTAz
        WhgPMjEyNjEwMjkwMjQxMDNaMBwxGjAYBgNVBAMMEVNpbXVsYXRvciBUZXN0IENB
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuZD295xkFLC35M0hJhXT
        yk2uzKaUNvO2Zx4dBBBBiR98NAV4OWYd4DeMsMlhTtUrZciBp6vuzVIothguqWFb
        XKxoquNvIdy1i/DDhwwk7oW2upGjerS/hJ0QWb4pXn1iPNgpyBThSwc0GXpSuMIj
        SH+LNDzp4yRUDQ0QMfx1iPrhMdY1977VX2dQWT5J8v2XL1aImdDYNqxASLj/XZAl
        nIB0zgHMNu+u5qyV/nzvGedI/5/Es/s94SJjAL4lYpsG8gs2556X0ztN0wLN01KE
        x2SPyW4vvOZ9XKnncGcoO0cHT7+eE/+esTaU+3pI1vm89Ih61TCUpEVNFflmeWdM
        WwIDAQABo1MwUTAdBgNVHQ4EFgQURmJs9E//LJdd6f9G9lXiU+HglicwHwYDVR0j
        BBgwFoAURmJs9E//LJdd6f9G9lXiU+HglicwDwYDVR0TAQH/BAUwAwEB/zANBgkq
        hkiG9w0BAQsFAAOCAQEAnoicatwhpwOjGvDGYFj7F5lifGV2AoYNfczcrkuWoAm8
        k4mBDVYqwa7HoLGqbEJS0XmTD+pYyPLdNioJIUHW+3IZ376/kzbUtsH/iop0j7J2
        tfjAFO9uClp25esKy8fPOnOM+zREpzEn0/5aJPgMXYIEysBXms9ob5YAejbsE5MG
        Ovxm3EauW1zjM+aD6jbzXvyB9hVNKjdPfZFySklOCBFxiS0FoMOp77TeqEfhqYhB
        6yNHo38hdu8TtYauvcLk4TqYGdEDWP1rdcRi7uMLZodj1nKoCDBWHNHcKTZpM7wZ
        rXi7dFKX55eK6KOfUl7L3X+Lr8MNuwM2OkMR7lReOA==
        -----END CERTIFICATE-----
        """

    static let serverCertificate = """
        -----BEGIN CERTIFICATE-----
        MIIDTTCCAjWgAwIBAgIUPm72mGGjixUquaedgD1mYQmlk8IwDQYJKoZIhvcNAQEL
        BQAwHDEaMBgGA1UEAwwRU2ltdWxhdG9yIFRlc3QgQ0EwIBcNMjYxMTIyMDI0MTAz
        WhgPMjEyNjEwMjkwMjQxMDNaMBQxEjAQBgNVBAMMCTEyNy4wLjAuMTCCASIwDQYJ
        KoZIhvcNAQEBBQADggEPADCCAQoCggEBALQUQkYNl7F+DJyIUKBDqdT043akDpvT
        IuNk1vodsizADY9NAvUQmoIhpK4ANUDdb++V7/1Qgz2gMS3TNu5+IpoY1AWoBB4c
        NVpeKHQLaAp+5OONJ4dt7KIFtWQOGDQ48PE90PMq1qJAec9tve9uG8q0k8ImaRgJ
        dqzB8+omZV+8SZXNjazCNPHwb3kEWWSmEXy8xHjXO96xGC/Nf36VpXaML0fhSHB+
        WmKbESGQ0ePjzWq5tpieP1ZMGB+q4/+WLKi64CgmEn9FMHzkMpy8vuOebMAjXFPT
        cgqSe4Dpe3OtlVABWO1S4tYp+YEXxKkGkTvZ5mkRbcvVFOisFuN1AtUCAwEAAaOB
        jDCBiTAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCQYDVR0TBAIwADALBgNV
        HQ8EBAMCBaAwEwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFNsIjHwpFEwl
        stedz70/L1i9htaCMB8GA1UdIwQYMBaAFEZibPRP/yyXXen/RvZV4lPh4JYnMA0G
        CSqGSIb3DQEBCwUAA4IBAQA82Yxe8d3bdZNPFJuFqa/sg3AtLTIlpW8pPKjl6KUe
        qKq0Mknf9P+PEqfo08Px64Aw4q8T1DG6O8TuBur9HMtnC05X3oRuuEVM9gcQZ4SN
        9H428Ab6T46Bga2SQqZRrZodN9s7rWs3El/zQzdrGRE1HRTCf06T3qIiYRGrtkRR
        xa7AhTNiv250OPUJlIPcFHal/EMSntdxsTKAr+eeH+NX8DheDV1CKbj7YZRrGrZH
        y21vWnjE2ybxzRkKXWBSzBI2+24rHAKqW8Wga3fKa71XnMnOoQ4vpCGFYdWnDPHn
        UZfMghgMJ1fMtNszme2ufWNuEst6MWKgvbhRZ5q3VztP
        -----END CERTIFICATE-----
        """

    static let serverKey = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC0FEJGDZexfgyc
        iFCgQ6nU9ON2pA6b0yLjZNb6HbIswA2PTQL1EJqCIaSuADVA3W/vle/9UIM9oDEt
        0zbufiKaGNQFqAQeHDVaXih0C2gKfuTjjSeHbeyiBbVkDhg0OPDxPdDzKtaiQHnP
        bb3vbhvKtJPCJmkYCXaswfPqJmVfvEmVzY2swjTx8G95BFlkphF8vMR41zvesRgv
        zX9+laV2jC9H4UhwflpimxEhkNHj481qubaYnj9WTBgfquP/liyouuAoJhJ/RTB8
        5DKcvL7jnmzAI1xT03IKknuA6XtzrZVQAVjtUuLWKfmBF8SpBpE72eZpEW3L1RTo
        rBbjdQLVAgMBAAECggEABTqQgTYUQUp1dW3PjqaYUAhyTO6qaaO9KPQhZ9x/4NvD
        lr6KNPFLZ8kwJv/SZ3SvsyduKfy7Ia4GAdNEjmnOeYselXqaptxPP/6NxNzTo508
        WAZCk+3BGiQeJknyxBxG3ZSk2OdDdOQvF45KZ6Ej6d+lILCM+ICh199Rjdjij/Hz
        G6gk4lsV3TioLm1AJ8JgUIuwwIjd5fPT7khvYaVHFs9Ann8I2FdPh4UWD8hhnvzc
        gYoh3l9oD5LwM6SDaitd6eDOYAWlgU7AcwdokKKu7PrFHmoc2YQ0mMdHL4DNVIQ1
        oRf4C+JIb/DQuU16Jb2n0Lhq2WA3BkV9yk7/RGVPOwKBgQDdul4jlFzj+xMyZ79f
        8F5l4wCgCn3zUChm7OjJaXzpL8c3oJc2EiiiFjDeLsDxE1OnkO46pCe03yGrKd0k
        S4YZKzKuKd/tL+JrjNcLqxzEUOoXWvWiTtgZjeRYAL99DI6wuQGVU0rCzN2yPFCt
        ODX2nOM9VZE4rJd7vfbBd/F5LwKBgQDP6d9xckZw5J0IdIXdP+8j1RS6dXQGf4+n
        1sTajFrVsNahEcv7N6L8cPZlh60zpRLwr77SaxS/NCQuU2hEeBAuJuJ6gi/WyhwC
        udESc3XkRG4TpKU4dbXJzSytmIP6XM37kC65j4NqqRXDICic6aOk9T4Tn11Kklt3
        FLZoyZP7OwKBgB3+FLfZXMtV7h3WXNO8bvh3QWFkqe7cu+pYR5DfHQ9p8Be9OFcP
        E8IBIHEdf+ncRGeZOjBifiCAQkyl6Az9zlDfQAbBEVJDNOx5a6lfZw/DJjcsjad7
        5M1oHSguSbi/lxmenPE3CBjbn215rSwRO3N1e2OTjIZPClqpspQvBlHvAoGAFo2S
        /FZeB770vccOAkr+IM/rWLKG7HGH3rfwUJiq/cUZ8wzgKJcHagTC5Y6LHjAI1uzp
        cR/Gd1srlY7cn5i6gJcdOBbJI652zWDkqfC2WBWILz9L4Mz79DD6aLZDkrPgcCpa
        tyw3ICnJP4pMfYDmjG1B15UQ5JbtrwQjKUi8caMCgYAwgmBt6xDTHgjEIOvbsC8P
        KNgLpGkskhIAHDwpIPo4+5zhX/7Ym2M0VZ+POY0Dp8L0Kq9+Rrz7l+pvnhhfaM1z
        DW4sBPUF/aopN91PGNCgz7KTUOGuyAXIRFRN5tAYysGvhbK76nbCeWoAV1HRGMP2
        os4jynPt5wVFxEKIhwal6g==
        -----END PRIVATE KEY-----
        """

    static let clientCertificate = """
        -----BEGIN CERTIFICATE-----
        MIIDODCCAiCgAwIBAgIUPm72mGGjixUquaedgD1mYQmlk8MwDQYJKoZIhvcNAQEL
        BQAwHDEaMBgGA1UEAwwRU2ltdWxhdG9yIFRlc3QgQ0EwIBcNMjYxMTIyMDI0MTAz
        WhgPMjEyNjEwMjkwMjQxMDNaMB0xGzAZBgNVBAMMEmJyaWRnZS10ZXN0LWNsaWVu
        dDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAK0uGwTJmd6qLRT8tyqR
        ao2mTIcsITic2H3yksaqPK5lwXUN8Yko2JswZn/Jb/bjkwd+BvSLIy2oKsRrX7Uo
        oQaBsE0iOYI4a/kfuw7iBI+UD13WEitohuwLQvwy38FkU4nxLDX81a9va1/sDgne
        VtIJAjyS8h4+VwP7XEcShUeOGvPq8dam+MFQqfglD7Fbyg3gxQ0RGqKCn3bKjb9+
        MamFna8EdzAcldvzfoY2gS13Zxn2ZlQTqkoxyclhAP+zCMWvA4TNN3UAsdKivdBj
        3fVQldT1XISpAtsJBM7aNNbSNIEflz1XK4uNK2NyBJrvjdnpiF/rsKyiI1ytoIC5
        NXMCAwEAAaNvMG0wCQYDVR0TBAIwADALBgNVHQ8EBAMCBaAwEwYDVR0lBAwwCgYI
        KwYBBQUHAwIwHQYDVR0OBBYEFP0/uIWnjIzM+gWudJ2usotJBRWAMB8GA1UdIwQY
        MBaAFEZibPRP/yyXXen/RvZV4lPh4JYnMA0GCSqGSIb3DQEBCwUAA4IBAQBb21Um
        2OxTDqiGIUtRYhHhuQvXqdyqENLY+dGdTMYDz5IFYDLfWsqD+REqSss+X8AkGx5j
        2h1a04+iD8T61Oy2LSXiA4Gq0HsZC2NbDsWuRSTitkbo6Pz2k6v+Zj/a+J9S/CDa
        Oz9zl2SFi+ydVL4oS6P/08HaMEuVz/nolwxyYcsmLNr0YXElhjj33ERbDfAY3bGF
        GhDLXR4Lz+SL/dtGuZ8GTD5znCW1Hw4nKcbzT4S5q3a+acdBe8s2CdfvmmdOIH+H
        8ySNN7I14GXoL/lCGnhUYhC/F8V1MpBkPdzOqUR4BZ/i1a6ZcCyozzmN8+vpV95r
        zr5aS2XKQMseLiJl
        -----END CERTIFICATE-----
        """

    static let clientKey = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCtLhsEyZneqi0U
        /LcqkWqNpkyHLCE4nNh98pLGqjyuZcF1DfGJKNibMGZ/yW/245MHfgb0iyMtqCrE
        a1+1KKEGgbBNIjmCOGv5H7sO4gSPlA9d1hIraIbsC0L8Mt/BZFOJ8Sw1/NWvb2tf
        7A4J3lbSCQI8kvIePlcD+1xHEoVHjhrz6vHWpvjBUKn4JQ+xW8oN4MUNERqigp92
        yo2/fjGphZ2vBHcwHJXb836GNoEtd2cZ9mZUE6pKMcnJYQD/swjFrwOEzTd1ALHS
        or3QY931UJXU9VyEqQLbCQTO2jTW0jSBH5c9VyuLjStjcgSa743Z6Yhf67CsoiNc
        raCAuTVzAgMBAAECggEAKI/h+C8YARUu1fmTFT9WC7NlvUtSxKXH90f3pNx+tgJT
        W41Wg1+zzDV77HZL6THIYDreeiyUor7+tV7I3e+UN6fsmURo391DPOh3sbayhsaR
        CtN3Ef+7ilHg8J0h13QeNPLt/f8oNZ0NMzxg1WLkRvGhOnrYhsjnLKGVLXhjCy0T
        4nmtBKWIwJ8onTiHXOaVQd1e/1MtVhSduiGErmYymdY84MaSVR+VqCJJDI2/9gfP
        AURajBHer8Dy+NDoRIakMf83AFVMm/wgjMdUfcXt7JGu9V0VVKgfhmS4gFAAjDKK
        iIfFEdO4Rw8kTIJsPHSBx5iCkJGHs3rVIsr0iV+wcQKBgQDz9VOQ8JUTAcyjBtD+
        5Rpu7lYOZOFh7eGHXrHOTbXcqw7TLKgCmQkfp/BpBxEAAU7QHa3aabZ9R1XsTLD2
        UWnK5ZgS0OxfrA+ToPWdAmsj4fnGLQlxPXOwvIIdlFxpewAwdhp4IS/1tQmnA4yi
        jZksPlbA3MuoANVTBTlCk97vLQKBgQC1umvCMKSAvxVmst5hF84tpx6g9u9NSAap
        194QEKNTF5mI+6Y345gI+FdAnFop4tCMbWarVDFNI2thPlDUDf/7Y1oAJ1CqquBu
        duxhqWhN9qkKCw1USMBxEGnnHHakXQDEc1DxuHEXCcpGG0XMzpWNRIuSbSR/u1Wo
        ye1099KbHwKBgGaCRVT34owUC3rNWHBisFLAjySJOzM9E7EgFzKK8MoCjr4pW4eL
        6ouEs75OG9SWuBk2/2BxXx8RJIegShOWbg+1ncr6QviIghsUXWBWLdLsF1owfnE4
        0y4GZ94qAxLHfnLejYzA1Tg3lBC7qxJ60UwH/cgYfvLfNsQlw8O4AssZAoGBAJpk
        km5+IxSaw1ToPFRjBDD3HeeFQ9P1kGu10Zz2dbv/fdrKafJrs1xTmNV0wIl7gND9
        lU+UDPrLT8xjRAqVBlkOlIUy4a7N1DUlZjim084A9KZqs11bHdwxJLhMD2Qe+6rr
        ieaDW9lF4Qrk2s1g6eAGT0oM3giDIQhw3gQVFGHjAoGBAKAWkFX+siKizfG5xVvF
        NIXbD/YlIidwsdUwfixHPKTzsuPPl4VXhwBclzL3FOrefcny8KCIdF0MTimMqkvm
        raHV2J48QVy2KiinYREil7QMvh8RT8jhdvcUPPCB+eBEb2597b9vu/bJ3VaV9jPZ
        +IiClRRk2+smkxAnBjbu29gd
        -----END PRIVATE KEY-----
        """

    /// Writes every PEM into a fresh temporary directory and returns the paths by name.
    static func writeToTemporaryDirectory() throws -> [String: String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scsim-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var paths: [String: String] = [:]
        for (name, pem) in [
            ("ca", caCertificate), ("serverCertificate", serverCertificate), ("serverKey", serverKey),
            ("clientCertificate", clientCertificate), ("clientKey", clientKey),
        ] {
            let url = directory.appendingPathComponent("\(name).pem")
            try (pem + "\n").write(to: url, atomically: true, encoding: .utf8)
            paths[name] = url.path
        }
        return paths
    }
}
