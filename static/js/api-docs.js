// The interactive API documentation (Swagger UI, vendored), reading /api/v1/openapi.json.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.schemaUrl, dom_id: "#swagger-ui", deepLinking: true });
});
