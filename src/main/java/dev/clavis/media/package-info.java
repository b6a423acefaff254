/** Reading what users send: images decoded and checked before anything is stored or computed. */
package dev.clavis.media;
