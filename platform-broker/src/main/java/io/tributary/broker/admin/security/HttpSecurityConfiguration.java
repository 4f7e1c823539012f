package io.tributary.broker.admin.security;

import java.util.List;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.security.ScramPasswordCheck;

/**
 * The broker's HTTP side under Spring Security. With security off (the single-node default) every
 * request is let through, as before. With it on, liveness and readiness stay open for orchestrators,
 * and the admin API, the console, Prometheus and health details need HTTP Basic authentication
 * against the same SCRAM users as the Kafka listeners; what each user may then do is the ACLs' call
 * ({@link io.tributary.broker.admin.service.AdminAuthorization}).
 *
 * <p>The admin API is stateless (Basic on every call, no CSRF token); the console's forms carry
 * Spring Security's CSRF token, which Thymeleaf adds to every {@code th:action} form.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class HttpSecurityConfiguration {

    @Bean
    SecurityFilterChain tributaryHttpSecurity(HttpSecurity http, BrokerProperties properties) throws Exception {
        if (!properties.httpAuthenticationEnabled()) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable())
                    .build();
        }
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health/liveness", "/actuator/health/readiness")
                        .permitAll()
                        .requestMatchers("/console/assets/**", "/webjars/**", "/error").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.realmName("Tributary"))
                .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**", "/actuator/**"))
                .formLogin(form -> form.disable())
                .logout(Customizer.withDefaults())
                .build();
    }

    /** HTTP Basic checked against the cluster's SCRAM credentials: no password is stored anywhere. */
    @Bean
    AuthenticationProvider scramUsers(CredentialCache credentials) {
        ScramPasswordCheck passwords = new ScramPasswordCheck(credentials);
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                String username = authentication.getName();
                Object password = authentication.getCredentials();
                if (username == null || password == null || !passwords.matches(username, password.toString())) {
                    throw new BadCredentialsException("Bad credentials");
                }
                return UsernamePasswordAuthenticationToken.authenticated(username, null, List.of());
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
    }
}
