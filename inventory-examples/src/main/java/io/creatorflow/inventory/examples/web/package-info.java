/**
 * The inventory service's HTTP layer on Jakarta Servlet 6: the TikTok Shop webhook endpoint, the
 * JSON REST API and the status page. Servlets receive the SDK objects they use; nothing here starts
 * threads or owns resources.
 */
@NullMarked
package io.creatorflow.inventory.examples.web;

import org.jspecify.annotations.NullMarked;
