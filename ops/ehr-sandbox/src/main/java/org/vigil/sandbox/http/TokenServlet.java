package org.vigil.sandbox.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.vigil.sandbox.auth.OAuthException;
import org.vigil.sandbox.auth.TokenService;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /auth/token}: the OAuth 2.0 token endpoint of SMART Backend Services. */
public final class TokenServlet extends HttpServlet {

    private final TokenService service;
    private final String tokenUrl;
    private final JsonResponses json;

    public TokenServlet(TokenService service, String tokenUrl, JsonResponses json) {
        this.service = service;
        this.tokenUrl = tokenUrl;
        this.json = json;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // tokens and errors alike must not be cached (RFC 6749 §5.1)
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            json.write(response, 400, Map.of("error", "invalid_request",
                    "error_description", "the token request must be application/x-www-form-urlencoded"));
            return;
        }
        Map<String, String> form = new HashMap<>();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            form.put(parameter.getKey(), parameter.getValue()[0]);
        }
        try {
            TokenService.Issued issued = service.token(form, tokenUrl);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", issued.accessToken());
            body.put("token_type", "bearer");
            body.put("expires_in", issued.expiresIn());
            body.put("scope", issued.scope());
            json.write(response, 200, body);
        } catch (OAuthException e) {
            json.write(response, e.status(), Map.of("error", e.error(), "error_description", e.getMessage()));
        }
    }
}
