// One file to POST /api/v1/documents as multipart/form-data, with its byte progress
// (XMLHttpRequest's upload.onprogress: fetch cannot report upload progress) and, for a protected
// file, its password field. Resolves with the answer's status and text; rejects on a network error.
import { CSRF_HEADER } from "./api.js";
import { pageData } from "./page.js";

export function uploadFile(file, { url, password = null, onProgress = () => {} }) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append("file", file, file.name);
    if (password) {
      form.append("password", password);
    }
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.withCredentials = true;
    request.setRequestHeader("Accept", "application/json");
    if (pageData().csrf) {
      request.setRequestHeader(CSRF_HEADER, pageData().csrf);
    }
    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable) {
        onProgress(progress.loaded, progress.total);
      }
    });
    request.addEventListener("load", () => resolve({ status: request.status, text: request.responseText }));
    request.addEventListener("error", () => reject(new Error("network")));
    request.addEventListener("abort", () => reject(new Error("aborted")));
    request.send(form);
  });
}
