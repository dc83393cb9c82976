import "./styles.css";
import { startApp } from "./app";
import { readConfig } from "./config";

function boot() {
  const mount = document.getElementById("dtale-app") ?? document.body;
  let config;
  try {
    config = readConfig(document);
  } catch (err) {
    mount.textContent = `dtale_lite: ${(err as Error).message}`;
    return;
  }
  startApp(mount, config).catch((err) => {
    console.error(err);
    const box = document.createElement("div");
    box.className = "dl-banner";
    box.setAttribute("data-testid", "error-banner");
    box.textContent = `dtale_lite could not start: ${(err as Error).message}`;
    mount.prepend(box);
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
