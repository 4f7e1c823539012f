# One image recipe for the broker and the four services: each runs its executable jar, built beforehand with
#   ./mvnw package -DskipTests
# docker-compose.yml passes MODULE (e.g. platform-broker, sample-orders-service). Without it, the broker: the image
# that TributaryContainer (platform-client-testcontainers) and docker-compose.yml's brokers run,
#   docker build -t tributary/platform-broker:0.1.0-SNAPSHOT .
# Arguments after the image name are the broker's settings (--tributary.broker.port=..., ...).
FROM eclipse-temurin:17-jre
ARG MODULE=platform-broker
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY ${MODULE}/target/${MODULE}-0.1.0-SNAPSHOT-exec.jar /app/app.jar
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-jar", "/app/app.jar"]
